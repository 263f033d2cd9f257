import { createHash } from "node:crypto";
import type { Workflow } from "@flowdeck/schemas";
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

// Enough for every published version and recent draft of a few hundred tenants; forgetting one costs only a
// redundant insert (ON CONFLICT DO NOTHING).
const MAX_KNOWN_SNAPSHOTS = 10_000;

/**
 * Which snapshots this process knows are stored, so a run of a known definition sends only its hash. A hash is
 * learnt only after the transaction that wrote it committed; snapshots are never deleted while their tenant
 * lives (runs of any age may point at them), so what is learnt stays true.
 */
export class StoredSnapshots {
  private readonly known = new Set<string>();

  has(tenantId: string, hash: string): boolean {
    return this.known.has(`${tenantId}:${hash}`);
  }

  learn(tenantId: string, hash: string): void {
    if (this.known.size >= MAX_KNOWN_SNAPSHOTS) this.known.clear();
    this.known.add(`${tenantId}:${hash}`);
  }
}
