import type { Logger } from "@flowdeck/node-library/runtime";
import { silentLogger } from "../engine/engine-deps";
import type { Database } from "../store/database";
import { OUTBOX_KIND_RESUME } from "../store/run-requests";
import { withTimeout } from "./queue-errors";
import { periodicTask, type PeriodicTask } from "./periodic-task";
import type { RunJob, RunQueue } from "./run-queue";

export interface OutboxDispatcherOptions {
  readonly db: Database;
  readonly queue: RunQueue;
  /** Pause between passes. Default 200 ms. */
  readonly intervalMs?: number;
  /** Rows per transaction. Default 500. */
  readonly batchSize?: number;
  /** How long one enqueue may take before the pass gives up and rolls back. Default 5,000 ms. */
  readonly enqueueTimeoutMs?: number;
  /**
   * Rows younger than this are left alone. Default 0. When the API enqueues directly after its write (the
   * fast path), set it to a few seconds: the dispatcher then only catches what a crash or a Redis outage
   * left behind, instead of adding every job a second time (harmless, job ids dedupe, but not free).
   */
  readonly minAgeMs?: number;
  readonly log?: Logger;
}

/**
 * Moves `run_outbox` rows into the queue (DESIGN.md §4). createRun writes the row in the run's own statement;
 * here, in one owner transaction per batch: lock undispatched rows (FOR UPDATE SKIP LOCKED, so several
 * dispatchers split the work instead of waiting on each other), enqueue them, stamp `dispatched_at`, commit.
 * A crash after the enqueue and before COMMIT enqueues the rows again next time, which jobId = runId turns
 * into a no-op. Owner rights, because the rows of every tenant are read: in production the connecting role
 * must own the tables and bypass RLS (FORCE applies to owners), or this needs a policy for the dispatcher.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): PeriodicTask {
  const batchSize = options.batchSize ?? 500;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;

  async function pass(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await options.db.ownerTransaction(async (sql) => {
        const rows = await sql.query<{ tenant_id: string; id: string; run_id: string; kind: string }>(
          `SELECT tenant_id::text, id::text, run_id::text, kind FROM run_outbox
            WHERE dispatched_at IS NULL AND created_at < now() - make_interval(secs => $2::float8 / 1000)
            ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [batchSize, options.minAgeMs ?? 0],
        );
        if (rows.rows.length === 0) return 0;
        await withTimeout(
          options.queue.enqueueMany(rows.rows.map(toJob)),
          enqueueTimeoutMs,
          "Enqueueing outbox rows",
        );
        await sql.query(
          `UPDATE run_outbox SET dispatched_at = now()
            WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
          [rows.rows.map((row) => row.tenant_id), rows.rows.map((row) => row.id)],
        );
        return rows.rows.length;
      });
      total += moved;
      if (moved < batchSize) return total;
    }
  }

  return periodicTask("outbox dispatcher", options.intervalMs ?? 200, pass, options.log ?? silentLogger);
}

/** A start row enqueues the run (job id = run id); a resume row its own job (job id from the row's id). */
function toJob(row: { tenant_id: string; id: string; run_id: string; kind: string }): RunJob {
  return row.kind === OUTBOX_KIND_RESUME
    ? { tenantId: row.tenant_id, runId: row.run_id, kind: "resume", requestId: row.id }
    : { tenantId: row.tenant_id, runId: row.run_id };
}
