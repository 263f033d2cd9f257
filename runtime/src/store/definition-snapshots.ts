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
// redundant insert (ON CONFLICT DO NOTHING) or one read of it.
const MAX_KNOWN_SNAPSHOTS = 2_000;

// One read of the snapshots a batch of runs points at and this process has not seen.
const READ_SNAPSHOTS = prepared(
  "flowdeck_read_definitions",
  "SELECT hash, definition FROM run_definitions WHERE tenant_id = $1 AND hash = ANY($2::text[])",
);

/**
 * The definition snapshots this process knows are stored, with their content. A run of a known definition is
 * written with its hash only, and a run read back gets its definition from here instead of PostgreSQL sending
 * and the driver parsing the whole text on every read (a worker reads every run it picks up). A hash is learnt
 * only after the transaction that wrote it committed, or from a read; snapshots are immutable and never deleted
 * while their tenant lives (runs of any age may point at them), so what is learnt stays true.
 */
export class StoredSnapshots {
  private readonly known = new Map<string, Workflow>();

  constructor(private readonly db: Database) {}

  has(tenantId: string, hash: string): boolean {
    return this.known.has(`${tenantId}:${hash}`);
  }

  learn(tenantId: string, hash: string, definition: Workflow): void {
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
