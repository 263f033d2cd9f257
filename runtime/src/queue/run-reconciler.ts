import type { Logger } from "@flowdeck/node-library/runtime";
import { silentLogger } from "../engine/engine-deps";
import type { Database } from "../store/database";
import { periodicTask, type PeriodicTask } from "./periodic-task";
import type { RunJob, RunQueue } from "./run-queue";

export interface RunReconcilerOptions {
  readonly db: Database;
  readonly queue: RunQueue;
  /**
   * A `queued` or `running` run untouched for this long is suspect, and so is a message recorded this long
   * ago and not yet applied. Default 60,000 ms; keep it above the longest step (a running run commits after
   * every effectful step, which bumps `updated_at`).
   */
  readonly stuckAfterMs?: number;
  /** Pause between passes. Default 30,000 ms. */
  readonly intervalMs?: number;
  /** Runs looked at per pass and kind. Default 1,000. */
  readonly batchSize?: number;
  /**
   * Asked before each pass; false skips it. Every API process schedules the reconciler, and the server lets
   * one of them at a time do the passes (a lease). Default: every pass runs.
   */
  readonly mayRun?: () => Promise<boolean>;
  readonly log?: Logger;
}

// The reconciler's three questions, across tenants ($1 ms idle or overdue, $2 runs at most). Each names
// unfinished statuses only, so runs_unfinished (migration 0013) answers it without reading finished runs.

// Queued or running runs that nobody has touched for a while: their job was lost or their process died.
export const STUCK_RUNS = `
SELECT tenant_id::text, id::text FROM runs
 WHERE status IN ('queued', 'running') AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
 ORDER BY updated_at LIMIT $2`;

// Waiting or handed-off runs with a recorded request newer than what they took, recorded a while ago.
export const UNAPPLIED_REQUESTS = `
SELECT r.tenant_id::text, r.id::text FROM runs r
 WHERE r.status IN ('waiting', 'handoff')
   AND EXISTS (SELECT 1 FROM run_journal j
                WHERE j.tenant_id = r.tenant_id AND j.run_id = r.id
                  AND j.last_seq > coalesce((r.state->>'resumedThrough')::int, 0)
                  AND j.events @> '[{"type": "resume.requested"}]'
                  AND (j.events->0->>'at')::timestamptz < now() - make_interval(secs => $1::float8 / 1000))
 LIMIT $2`;

// Asks past their deadline: their delayed job was lost (Redis restarted empty) or never set (a crash between
// the commit and scheduling it). expireWait is a no-op for any that a live timer already handled.
export const OVERDUE_ASKS = `
SELECT tenant_id::text, id::text, state->>'waitingStep' AS step_id, state->>'waitingUntil' AS due_at FROM runs
 WHERE status = 'waiting' AND state ? 'waitingUntil'
   AND (state->>'waitingUntil')::timestamptz < now() - make_interval(secs => $1::float8 / 1000)
 LIMIT $2`;

/**
 * Re-enqueues runs that the database says need work but no queue job covers: a Redis that restarted empty, a
 * job that failed for good while the database was down, an outbox row stamped by a dispatcher whose enqueue
 * was lost. A run with a live job (waiting, delayed, executing) is left alone; the rest are enqueued, and
 * jobId = runId makes a race with the dispatcher harmless. continueRun does the rest. Recorded messages that
 * no run took and asks past their deadline are enqueued again too (their handlers are no-ops when late).
 */
export function createRunReconciler(options: RunReconcilerOptions): PeriodicTask {
  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  const batchSize = options.batchSize ?? 1_000;

  async function pass(): Promise<number> {
    if (options.mayRun && !(await options.mayRun())) return 0;
    // Owner rights: every tenant's runs. See outbox-dispatcher.ts for what that needs in production.
    const { stuck, unapplied, overdue } = await options.db.ownerTransaction(async (sql) => ({
      stuck: await sql.query<{ tenant_id: string; id: string }>(STUCK_RUNS, [stuckAfterMs, batchSize]),
      unapplied: await sql.query<{ tenant_id: string; id: string }>(UNAPPLIED_REQUESTS, [
        stuckAfterMs,
        batchSize,
      ]),
      // Overdue by a few seconds at least, so a timer that is about to fire is not doubled.
      overdue: await sql.query<{ tenant_id: string; id: string; step_id: string; due_at: string }>(
        OVERDUE_ASKS,
        [Math.min(stuckAfterMs, 5_000), batchSize],
      ),
    }));
    const jobs: RunJob[] = [];
    for (const row of stuck.rows) {
      if (!(await options.queue.isLive(row.id))) jobs.push({ tenantId: row.tenant_id, runId: row.id });
    }
    for (const row of unapplied.rows) {
      jobs.push({
        tenantId: row.tenant_id,
        runId: row.id,
        kind: "resume",
        requestId: `reconciled-${row.id}-${Date.now()}`,
      });
    }
    for (const row of overdue.rows) {
      // Same job id as the original timer's (run + deadline): a live delayed job is not doubled.
      jobs.push({
        tenantId: row.tenant_id,
        runId: row.id,
        kind: "timeout",
        stepId: row.step_id,
        dueAt: row.due_at,
      });
    }
    const timeouts = jobs.filter((job) => job.kind === "timeout");
    await options.queue.enqueueMany(jobs.filter((job) => job.kind !== "timeout"));
    for (const job of timeouts)
      await options.queue.scheduleTimeout(job.tenantId, job.runId, job.stepId!, job.dueAt!);
    return jobs.length;
  }

  return periodicTask("run reconciler", options.intervalMs ?? 30_000, pass, options.log ?? silentLogger);
}
