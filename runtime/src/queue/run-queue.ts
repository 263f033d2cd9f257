import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunClaim } from "../store/run-store";

/**
 * What a job asks for. `start` and `resume` both end in `engine.continueRun` (which executes a queued run and
 * applies recorded messages in order); `timeout` is an ask's `timeout_minutes` running out (`expireWait`).
 */
/** A message or hand-back as `enqueueResume` recorded it. */
export interface RecordedRequest {
  /** The seq of its `resume.requested` event in the run's log. */
  readonly seq: number;
}

export type RunJobKind = "start" | "resume" | "timeout";

/** What a queue job carries: ids only. The run itself (state, input, recorded messages) lives in PostgreSQL. */
export interface RunJob {
  readonly tenantId: string;
  readonly runId: string;
  /** Default `start`. */
  readonly kind?: RunJobKind;
  /** `resume`: the id of the request's outbox row, which makes the job id (one job per recorded message). */
  readonly requestId?: string;
  /** `timeout`: the waiting step and its deadline (ISO 8601). */
  readonly stepId?: string;
  readonly dueAt?: string;
  /**
   * W3C trace context of the request that enqueued it, when tracing is on: the worker's activation continues
   * that trace. Absent without an OpenTelemetry SDK, and on the outbox's and reconciler's late enqueues.
   */
  readonly trace?: Readonly<Record<string, string>>;
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
  /**
   * A customer's message for a `waiting` run, or a human's hand-back for a `handoff` one. Recorded durably
   * first (a `resume.requested` event and an outbox row, one statement), then enqueued; nothing executes in
   * the caller's process with bullmq. Rejects with FD207 when the run is not in that status, FD206 when there
   * is no such run. Messages recorded while a run is busy are applied in order, each once. Resolves with the
   * seq of the recorded `resume.requested`: where the turn it starts begins in the run's log. With `claim` (a
   * customer message's id), a copy recorded before is refused with `claim.duplicate()` and nothing is enqueued.
   */
  enqueueResume(
    tenantId: string,
    runId: string,
    resume: ResumeInput,
    claim?: RunClaim,
  ): Promise<RecordedRequest>;
  /** Many at once (the outbox dispatcher, the reconciler), one round trip where the driver allows. */
  enqueueMany(jobs: readonly RunJob[]): Promise<void>;
  /** An ask's deadline: `expireWait(stepId)` runs at `dueAt` (a delayed job, or a timer inline). */
  scheduleTimeout(tenantId: string, runId: string, stepId: string, dueAt: string): Promise<void>;
  /** True when a job for this run is waiting, delayed or executing (the reconciler's "live lock"). */
  isLive(runId: string): Promise<boolean>;
  close(): Promise<void>;
}
