import { createHash } from "node:crypto";
import type { Workflow } from "@flowdeck/schemas";
import { prepared, type Database } from "./database";
import { toJson } from "./sql-values";

/** A definition as runs point at it: the text stored once per tenant, and its SHA-256 (hex). */
export interface DefinitionSnapshot {
  readonly hash: string;
  readonly json: string;
}

// A published version's definition is one shared object for all its runs: serialised and hashed once, not per
// run. A draft's is a new object per edit, and a new snapshot only when its text differs.
const snapshots = new WeakMap<object, DefinitionSnapshot>();

export function definitionSnapshot(definition: Workflow): DefinitionSnapshot {
  let snapshot = snapshots.get(definition);
  if (snapshot === undefined) {
    const json = toJson(definition);
    snapshot = { hash: createHash("sha256").update(json).digest("hex"), json };
    snapshots.set(definition, snapshot);
  }
  return snapshot;
}

// Enough for every published version and recent draft of a few hundred tenants; forgetting one costs a
// redundant insert or one read of it.
const MAX_KNOWN_SNAPSHOTS = 2_000;

/**
 * How long this process writes runs with a snapshot's hash only, after a statement of its own stored the
 * snapshot or marked it used. Then the next run carries the text again, which marks it used (run-batch-sql.ts)
 * or stores it anew if retention deleted it. Retention deletes only snapshots unused for a day
 * (run-retention.ts, DELETE_UNUSED_DEFINITIONS), far longer than this plus the hour the mark may lag.
 */
export const SNAPSHOT_TRUST_MS = 3_600_000;

// One read of the snapshots a batch of runs points at and this process has not seen.
const READ_SNAPSHOTS = prepared(
  "flowdeck_read_definitions",
  "SELECT hash, definition FROM run_definitions WHERE tenant_id = $1 AND hash = ANY($2::text[])",
);

/**
 * The definition snapshots this process knows, with their content, and the ones it may point runs at without
 * storing them again. A run of a trusted definition is written with its hash only, and a run read back gets
 * its definition from here instead of PostgreSQL sending and the driver parsing the whole text on every read
 * (a worker reads every run it picks up).
 *
 * Content is immutable, so whatever was read stays true. Trust is different: a snapshot no run points at may be
 * deleted by retention, so a hash is trusted only after a statement of this process stored it or marked it
 * used (`learnStored`, after that transaction committed), and only for SNAPSHOT_TRUST_MS. A read proves the
 * snapshot exists, not that it will: it teaches the content only.
 */
export class StoredSnapshots {
  private readonly known = new Map<string, Workflow>();
  /** When a statement of this process last stored each snapshot or marked it used (ms, `now()`). */
  private readonly trusted = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a run of this definition may be written with its hash only. */
  has(tenantId: string, hash: string): boolean {
    const since = this.trusted.get(`${tenantId}:${hash}`);
    return since !== undefined && this.now() - since < SNAPSHOT_TRUST_MS;
  }

  /** A committed statement of this process stored the snapshot or marked it used. */
  learnStored(tenantId: string, hash: string, definition: Workflow): void {
    if (this.trusted.size >= MAX_KNOWN_SNAPSHOTS) this.trusted.clear();
    this.trusted.set(`${tenantId}:${hash}`, this.now());
    this.learn(tenantId, hash, definition);
  }

  private learn(tenantId: string, hash: string, definition: Workflow): void {
    if (this.known.size >= MAX_KNOWN_SNAPSHOTS) this.known.clear();
    this.known.set(`${tenantId}:${hash}`, definition);
  }

  /** The definitions behind `hashes`, reading the ones not known here in one statement. */
  async definitions(tenantId: string, hashes: readonly string[]): Promise<Map<string, Workflow>> {
    const found = new Map<string, Workflow>();
    const missing = new Set<string>();
    for (const hash of hashes) {
      const definition = this.known.get(`${tenantId}:${hash}`);
      if (definition) found.set(hash, definition);
      else missing.add(hash);
    }
    if (missing.size > 0) {
      const { rows } = await this.db.statement<{ hash: string; definition: Workflow }>(
        READ_SNAPSHOTS,
        [tenantId, [...missing]],
        { tenantId },
      );
      for (const row of rows) {
        this.learn(tenantId, row.hash, row.definition);
        found.set(row.hash, row.definition);
      }
    }
    return found;
  }
}
