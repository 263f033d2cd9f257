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

// Queued runs not enqueued yet (`runs.start_pending`, migration 0012), oldest first, and the runs' own rows
// locked so that several dispatchers split them instead of waiting on each other.
export const PENDING_STARTS = `SELECT tenant_id::text, id::text AS run_id, id::text AS id FROM runs
  WHERE start_pending AND created_at < now() - make_interval(secs => $2::float8 / 1000)
  ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;
export const STARTS_ENQUEUED = `UPDATE runs SET start_pending = false
  WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND start_pending`;

// Messages and hand-backs recorded for waiting runs (`run_outbox`), not enqueued yet.
const PENDING_REQUESTS = `SELECT tenant_id::text, id::text, run_id::text FROM run_outbox
  WHERE dispatched_at IS NULL AND kind = '${OUTBOX_KIND_RESUME}'
    AND created_at < now() - make_interval(secs => $2::float8 / 1000)
  ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;
const REQUESTS_ENQUEUED = `UPDATE run_outbox SET dispatched_at = now()
  WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`;

interface PendingRow {
  readonly tenant_id: string;
  readonly run_id: string;
  /** The request's id (the run's for a start): what the mark names. */
  readonly id: string;
}

/**
 * Moves what is recorded but not enqueued into the queue (DESIGN.md §4): queued runs still marked
 * `start_pending` (createRun sets it in the run's own statement) and recorded requests (`run_outbox` rows,
 * written with the request). Each batch in one owner transaction: lock the rows (FOR UPDATE SKIP LOCKED),
 * enqueue, clear the mark, commit. A crash after the enqueue and before COMMIT enqueues them again next time,
 * which job ids (run id; request id) turn into no-ops. Owner rights, because the rows of every tenant are
 * read: in production the connecting role must own the tables and bypass RLS (FORCE applies to owners), or
 * this needs a policy for the dispatcher.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): PeriodicTask {
  const batchSize = options.batchSize ?? 500;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;

  /** One batch of one kind: how many rows it moved. */
  function moveBatch(select: string, mark: string, toJob: (row: PendingRow) => RunJob): Promise<number> {
    return options.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<PendingRow>(select, [batchSize, options.minAgeMs ?? 0]);
      if (rows.length === 0) return 0;
      await withTimeout(
        options.queue.enqueueMany(rows.map(toJob)),
        enqueueTimeoutMs,
        "Enqueueing outbox rows",
      );
      await sql.query(mark, [rows.map((row) => row.tenant_id), rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  async function moveAll(select: string, mark: string, toJob: (row: PendingRow) => RunJob): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await moveBatch(select, mark, toJob);
      total += moved;
      if (moved < batchSize) return total;
    }
  }

  async function pass(): Promise<number> {
    const starts = await moveAll(PENDING_STARTS, STARTS_ENQUEUED, (row) => ({
      tenantId: row.tenant_id,
      runId: row.run_id,
    }));
    const requests = await moveAll(PENDING_REQUESTS, REQUESTS_ENQUEUED, (row) => ({
      tenantId: row.tenant_id,
      runId: row.run_id,
      kind: "resume",
      requestId: row.id,
    }));
    return starts + requests;
  }

  return periodicTask("outbox dispatcher", options.intervalMs ?? 200, pass, options.log ?? silentLogger);
}
