/** What a queue job carries: ids only. The run itself (state, input, workflow) lives in PostgreSQL. */
export interface RunJob {
  readonly tenantId: string;
  readonly runId: string;
}

/**
 * The API's side of a queue driver (DESIGN.md §4): hand a stored run to whoever executes runs. Both drivers
 * (inline, bullmq) drive the same engine through `continueRun`, so a run enqueued twice executes once more at
 * most, and that second pass only finds nothing left to do.
 */
export interface RunQueue {
  readonly driver: "inline" | "bullmq";
  /** Enqueues a `queued` run (or a `running` one found stalled); a second call for the same run is a no-op. */
  enqueueStart(tenantId: string, runId: string): Promise<void>;
  /** Many at once (the outbox dispatcher), one round trip where the driver allows. */
  enqueueMany(jobs: readonly RunJob[]): Promise<void>;
  /** True when a job for this run is waiting, delayed or executing (the reconciler's "live lock"). */
  isLive(runId: string): Promise<boolean>;
  close(): Promise<void>;
}
