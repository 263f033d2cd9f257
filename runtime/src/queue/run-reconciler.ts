import type { Logger } from "@flowdeck/node-library/runtime";
import { silentLogger } from "../engine/engine-deps";
import type { Database } from "../store/database";
import { periodicTask, type PeriodicTask } from "./periodic-task";
import type { RunJob, RunQueue } from "./run-queue";

export interface RunReconcilerOptions {
  readonly db: Database;
  readonly queue: RunQueue;
  /**
   * A `queued` or `running` run untouched for this long is suspect. Default 60,000 ms; keep it above the
   * longest step (a running run commits after every effectful step, which bumps `updated_at`).
   */
  readonly stuckAfterMs?: number;
  /** Pause between passes. Default 30,000 ms. */
  readonly intervalMs?: number;
  /** Runs looked at per pass. Default 1,000. */
  readonly batchSize?: number;
  readonly log?: Logger;
}

/**
 * Re-enqueues runs that the database says need work but no queue job covers: a Redis that restarted empty, a
 * job that failed for good while the database was down, an outbox row stamped by a dispatcher whose enqueue
 * was lost. A run with a live job (waiting, delayed, executing) is left alone; the rest are enqueued, and
 * jobId = runId makes a race with the dispatcher harmless. continueRun does the rest.
 */
export function createRunReconciler(options: RunReconcilerOptions): PeriodicTask {
  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  const batchSize = options.batchSize ?? 1_000;

  async function pass(): Promise<number> {
    // Owner rights: every tenant's runs. See outbox-dispatcher.ts for what that needs in production.
    const rows = await options.db.ownerTransaction((sql) =>
      sql.query<{ tenant_id: string; id: string }>(
        `SELECT tenant_id::text, id::text FROM runs
          WHERE status IN ('queued', 'running') AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
          ORDER BY updated_at LIMIT $2`,
        [stuckAfterMs, batchSize],
      ),
    );
    const orphans: RunJob[] = [];
    for (const row of rows.rows) {
      if (!(await options.queue.isLive(row.id))) orphans.push({ tenantId: row.tenant_id, runId: row.id });
    }
    await options.queue.enqueueMany(orphans);
    return orphans.length;
  }

  return periodicTask("run reconciler", options.intervalMs ?? 30_000, pass, options.log ?? silentLogger);
}
