import type { Logger } from "@flowdeck/node-library/runtime";
import {
  deleteBatch,
  deleteOldMemory,
  deleteOldMessageClaims,
  deleteOldRuns,
  deleteUnusedDefinitions,
  periodicTask,
  type Database,
  type PeriodicTask,
  type RetentionBatch,
  type Sql,
} from "@flowdeck/runtime";
import { randomUUID } from "node:crypto";
import { limitsOf } from "../plans/plan-limits";
import { releaseMaintenanceLease, takeMaintenanceLease } from "./maintenance-lease";

export interface RunRetentionOptions {
  readonly db: Database;
  readonly log: Logger;
  /** Pause between passes. Default one hour: history is kept for days, an hour late costs nothing. */
  readonly intervalMs?: number;
  /** Rows per table per batch (one short owner transaction). Default 1,000. */
  readonly batchRows?: number;
  /**
   * Batches per tenant per pass; a larger backlog is spread over the next passes. Default 100: 100,000 rows per
   * table and hour, about 2.4 million runs a day, above what one tenant starts (a batch of 1,000 rows in each of
   * the four tables took 30 ms on this machine).
   */
  readonly maxBatchesPerTenant?: number;
  /**
   * The first pass, this long after `start`. Default 60,000 ms: soon enough that processes restarted more often
   * than `intervalMs` still prune, late enough to stay out of a starting process's way.
   */
  readonly firstPassDelayMs?: number;
}

const DAY_MS = 86_400_000;
const LEASE = "run-retention";
const LEASE_SHARE_OF_INTERVAL = 0.9;

// Runs a regression case is replayed from (its customer messages are read from them): kept as long as the case.
const KEPT_RUNS = "SELECT DISTINCT run_id::text FROM regression_cases";

// Why a customer got the fallback text (chat/customer-fallback.ts): a note on a conversation, kept as long as the
// conversation's history. Staff's own actions stay in the audit log. `audit_log_by_target` leads to the tenant's
// conversation rows.
const DELETE_OLD_FALLBACK_NOTES = `DELETE FROM audit_log
  WHERE tenant_id = $1 AND id IN (
    SELECT id FROM audit_log
     WHERE tenant_id = $1 AND target_type = 'conversation' AND action = 'chat.fallback' AND at < $2::timestamptz
     LIMIT $3)`;

// Chat webhook turns' relays (migration 1027): kept once settled so that a late copy of the turn's message records
// no second relay, as long as the message's claim, which tells a copy apart. Settled long before (a turn is given
// up after 15 minutes); `webhook_relays_by_age` is a BRIN index.
const DELETE_OLD_RELAYS = `DELETE FROM webhook_relays
  WHERE tenant_id = $1 AND id IN (
    SELECT id FROM webhook_relays WHERE tenant_id = $1 AND created_at < $2::timestamptz LIMIT $3)`;

// Messages no run sent (a chat's opening greeting, handoff transcripts), except in a conversation a person holds.
const DELETE_OLD_CHAT_MESSAGES = `DELETE FROM chat_messages
  WHERE tenant_id = $1 AND id IN (
    SELECT m.id FROM chat_messages m
     WHERE m.tenant_id = $1 AND m.created_at < $2::timestamptz
       AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.tenant_id = m.tenant_id
                          AND r.conversation_id = m.conversation_id AND r.status = 'handoff')
     LIMIT $3)`;

/**
 * Deletes run history each tenant's plan no longer keeps (`runHistoryDays`): finished and long-idle waiting runs
 * with their journals (runtime/src/store/run-retention.ts), conversation memory, customer message ids and the
 * chat webhook relays of their turns, fallback notes, handoff transcripts, and the definition snapshots no run
 * points at any more. Like n8n's execution pruning, it is on by default, so storage stays bounded.
 *
 * Owner rights, as for the reconciler: the app role may not delete run history (DESIGN.md §5). Each batch is
 * its own owner transaction with the tenant set, so the tenant's RLS policies apply even to an owner without
 * BYPASSRLS. Every API process schedules it, and a pass first takes the `run-retention` lease (migration
 * 1024) for most of an interval: with several processes, one of them prunes each hour and the others skip.
 * Were two passes to overlap anyway (a lease expired mid-pass), they delete disjoint or already-deleted rows.
 */
export function createRunRetention(options: RunRetentionOptions): PeriodicTask {
  const { db, log } = options;
  const batchRows = options.batchRows ?? 1_000;
  const maxBatches = options.maxBatchesPerTenant ?? 100;
  // Set by stop(): a pass ends after its current batch, so a shutdown does not wait for every tenant.
  let stopping = false;
  const intervalMs = options.intervalMs ?? 3_600_000;
  // Shorter than the interval, so the next hour's pass finds it free whichever process comes first.
  const leaseMs = intervalMs * LEASE_SHARE_OF_INTERVAL;
  const holder = randomUUID();

  /** An owner transaction with the tenant set, so the tenant's RLS policies hold even without BYPASSRLS. */
  async function asTenantOwner<T>(tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    return db.ownerTransaction(async (sql) => {
      await sql.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      return work(sql);
    });
  }

  async function pruneTenant(tenantId: string, days: number): Promise<number> {
    const batch: RetentionBatch = {
      tenantId,
      before: new Date(Date.now() - days * DAY_MS),
      limit: batchRows,
    };
    let deleted = 0;
    // Read by the first batch, once per tenant and pass (a case saved meanwhile names a run of the last days).
    let keep: string[] | undefined;
    for (let round = 0; round < maxBatches && !stopping; round += 1) {
      const counts = await asTenantOwner(tenantId, async (sql) => {
        keep ??= (await sql.query<{ run_id: string }>(KEPT_RUNS)).rows.map((row) => row.run_id);
        return [
          await deleteOldRuns(sql, batch, keep),
          await deleteOldMemory(sql, batch),
          await deleteOldMessageClaims(sql, batch),
          await deleteBatch(sql, DELETE_OLD_RELAYS, batch),
          await deleteBatch(sql, DELETE_OLD_CHAT_MESSAGES, batch),
          await deleteBatch(sql, DELETE_OLD_FALLBACK_NOTES, batch),
        ];
      });
      deleted += counts.reduce((sum, count) => sum + count, 0);
      if (counts.every((count) => count < batchRows)) break;
    }
    // After the runs: the snapshots only they pointed at are unused now. Once per pass, not per batch above:
    // each statement reads all the tenant's runs' hashes.
    for (let round = 0; round < maxBatches && !stopping; round += 1) {
      const count = await asTenantOwner(tenantId, (sql) => deleteUnusedDefinitions(sql, tenantId, batchRows));
      deleted += count;
      if (count < batchRows) break;
    }
    return deleted;
  }

  async function pass(): Promise<number> {
    if (!(await takeMaintenanceLease(db, LEASE, holder, leaseMs))) return 0;
    const { rows } = await db.ownerTransaction((sql) =>
      sql.query<{ id: string; plan: string }>("SELECT id::text, plan FROM tenants ORDER BY id"),
    );
    let deleted = 0;
    for (const tenant of rows) {
      if (stopping) break;
      const removed = await pruneTenant(tenant.id, limitsOf(tenant.plan).runHistoryDays);
      if (removed > 0) log.info("run history pruned", { tenantId: tenant.id, rows: removed });
      deleted += removed;
    }
    return deleted;
  }

  const task = periodicTask("run history retention", intervalMs, pass, log);
  let firstPass: NodeJS.Timeout | undefined;
  return {
    runOnce: task.runOnce,
    start() {
      stopping = false;
      task.start();
      firstPass ??= setTimeout(() => {
        task.runOnce().catch((error: unknown) =>
          log.warn("run history retention pass failed", {
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }, options.firstPassDelayMs ?? 60_000);
      firstPass.unref();
    },
    async stop() {
      stopping = true;
      clearTimeout(firstPass);
      firstPass = undefined;
      await task.stop();
      // A process shutting down hands the next pass to the others at once.
      await releaseMaintenanceLease(db, LEASE, holder).catch((error: unknown) =>
        log.warn("run history retention could not release its lease", {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    },
  };
}
