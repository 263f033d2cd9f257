import type { Sql } from "./database";

/**
 * Run history older than a tenant keeps it (its plan's `runHistoryDays`, decided by the server). The runtime
 * owns these tables, so it owns the statements; the server's retention job picks the tenants and the ages.
 * Each statement takes at most `limit` rows, so one batch holds its locks briefly and a large backlog is spread
 * over several batches.
 *
 * A run goes once it ended (completed, failed, cancelled) or has waited for an answer, and nothing else has
 * happened to it, for longer than that: a customer who answers a question that old starts a new run. Queued and
 * running runs are work in progress and a run in `handoff` is in a person's inbox, so they stay whatever their
 * age, and so does a waiting run with a recorded answer not yet applied (an outbox row not dispatched).
 * Deleting a run deletes its journal and outbox rows in the same statement (the `runs_delete_children`
 * trigger, migrations 0007 and 0011). `created_at < cutoff` walks `runs_by_created` for the tenant;
 * `updated_at` is never earlier, so that range holds every candidate.
 *
 * `$4` names runs to keep whatever their age: runs the server's own rows point at (a regression case is
 * replayed from the run it was saved from).
 *
 * An answer recorded while the batch runs bumps the run's `event_seq` (a commit bumps `state_version` too).
 * The DELETE waits for that row's lock and then re-checks its WHERE against the row as it is now, joined to the
 * values the batch read, so a run that moved meanwhile is not deleted under its activation.
 */
export const DELETE_OLD_RUNS = `DELETE FROM runs r
 USING (SELECT id, event_seq, state_version FROM runs c
         WHERE tenant_id = $1 AND created_at < $2::timestamptz AND updated_at < $2::timestamptz
           AND status IN ('completed', 'failed', 'cancelled', 'waiting')
           AND NOT EXISTS (SELECT 1 FROM run_outbox o
                            WHERE o.tenant_id = c.tenant_id AND o.run_id = c.id AND o.dispatched_at IS NULL)
           AND id <> ALL($4::uuid[])
         ORDER BY created_at
         LIMIT $3) old
 WHERE r.tenant_id = $1 AND r.id = old.id
   AND r.event_seq = old.event_seq AND r.state_version = old.state_version`;

// Memory a conversation has not touched for that long: the runs it served are gone, or going.
const DELETE_OLD_MEMORY = `DELETE FROM conversation_memory
  WHERE tenant_id = $1 AND conversation_id IN (
    SELECT conversation_id FROM conversation_memory
     WHERE tenant_id = $1 AND updated_at < $2::timestamptz
     LIMIT $3)`;

// Customer message ids (migration 0016): a copy comes within seconds (the widget) to hours (a webhook sender's
// retries), not weeks. `message_claims_by_age` is a BRIN index: nearly free for the claim on the chat path.
const DELETE_OLD_MESSAGE_CLAIMS = `DELETE FROM message_claims
  WHERE tenant_id = $1 AND claim_key IN (
    SELECT claim_key FROM message_claims WHERE tenant_id = $1 AND claimed_at < $2::timestamptz LIMIT $3)`;

/**
 * Snapshots no run points at, unused for a day (`used_at`, migration 0015; definition-snapshots.ts says why a
 * day): a draft's snapshots after retention deleted its runs, a version nobody has run since. `$1` the tenant,
 * `$2` the row limit. Runs have no index on `definition_hash` (every run insert would pay for one), so this is
 * one anti-join over the tenant's runs. A writer that marks a snapshot used while this waits for its row lock changes `used_at`, which the
 * join re-checks against the value read, so the snapshot stays.
 */
const DELETE_UNUSED_DEFINITIONS = `DELETE FROM run_definitions d
 USING (SELECT hash, used_at FROM run_definitions c
         WHERE tenant_id = $1 AND used_at < now() - interval '1 day'
           AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.tenant_id = c.tenant_id AND r.definition_hash = c.hash)
         LIMIT $2) unused
 WHERE d.tenant_id = $1 AND d.hash = unused.hash AND d.used_at = unused.used_at`;

export interface RetentionBatch {
  readonly tenantId: string;
  /** Rows last changed before this instant go. */
  readonly before: Date;
  /** At most this many rows per table. */
  readonly limit: number;
}

/**
 * One batch of a retention statement: `$1` the tenant, `$2` the cutoff, `$3` the row limit. Resolves with the
 * rows deleted. The server's own tables go through it too.
 */
export async function deleteBatch(sql: Sql, statement: string, batch: RetentionBatch): Promise<number> {
  const { rowCount } = await sql.query(statement, [batch.tenantId, batch.before.toISOString(), batch.limit]);
  return rowCount;
}

/** Deletes one batch of a tenant's old runs (with their journal and outbox rows), except `keep`. */
export async function deleteOldRuns(
  sql: Sql,
  batch: RetentionBatch,
  keep: readonly string[] = [],
): Promise<number> {
  const { before, limit, tenantId } = batch;
  const { rowCount } = await sql.query(DELETE_OLD_RUNS, [tenantId, before.toISOString(), limit, keep]);
  return rowCount;
}

/** Deletes one batch of a tenant's conversation memory untouched since `before`. */
export const deleteOldMemory = (sql: Sql, batch: RetentionBatch) =>
  deleteBatch(sql, DELETE_OLD_MEMORY, batch);

/** Deletes one batch of a tenant's customer message ids claimed before `before`. */
export const deleteOldMessageClaims = (sql: Sql, batch: RetentionBatch) =>
  deleteBatch(sql, DELETE_OLD_MESSAGE_CLAIMS, batch);

/**
 * Deletes up to `limit` of a tenant's definition snapshots that no run points at and nobody used for a day.
 * Run it after the runs of the same pass: their snapshots are then unused.
 */
export async function deleteUnusedDefinitions(sql: Sql, tenantId: string, limit: number): Promise<number> {
  const { rowCount } = await sql.query(DELETE_UNUSED_DEFINITIONS, [tenantId, limit]);
  return rowCount;
}
