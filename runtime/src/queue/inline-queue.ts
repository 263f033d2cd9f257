import type { Engine } from "../engine/engine";
import { TERMINAL_STATUSES, type RunRecord } from "../engine/run-types";
import type { Logger } from "@flowdeck/node-library/runtime";
import { QueueError } from "./queue-errors";
import type { RunJob, RunQueue } from "./run-queue";

export interface InlineQueueOptions {
  readonly engine: Engine;
  /** Runs executing at once in this process. Default 8. */
  readonly concurrency?: number;
  /**
   * Runs of one tenant executing at once (its plan's `concurrentRuns`, as the BullMQ worker's tenant limiter
   * enforces in queue mode). Asked synchronously whenever a slot is free; a number below 1 counts as 1. A job
   * over its tenant's cap stays in line without holding back other tenants' jobs behind it. Default: no cap
   * besides `concurrency`.
   */
  readonly tenantConcurrency?: (tenantId: string) => number;
  readonly log?: Logger;
}

export interface InlineRunQueue extends RunQueue {
  readonly driver: "inline";
  /** Resolves when nothing is executing or waiting (tests, shutdown). Pending ask timers do not count. */
  drain(): Promise<void>;
  /** Ask timers set in this process (tests). */
  readonly timers: () => number;
  /**
   * Executes `work` (an activation of `runId` that its caller performs and awaits: a synchronous webhook call)
   * in one of the queue's slots, in arrival order with its jobs. The run counts as live meanwhile, so the
   * reconciler does not start it a second time during a long step, and a message recorded for it meanwhile is
   * applied once it ends, as for a job. Resolves or rejects with `work`.
   */
  runInSlot(tenantId: string, runId: string, work: () => Promise<RunRecord>): Promise<RunRecord>;
}

/** A job, or an activation a caller performs itself (runInSlot), waiting for a slot. */
type Slot = RunJob & {
  readonly work?: () => Promise<RunRecord | undefined>;
  /** Tells a runInSlot caller that its activation will not run (the queue closed first). */
  readonly drop?: () => void;
};

/** setTimeout's limit (~24.8 days); a longer wait re-arms itself. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The embedded single process's queue (DESIGN.md §6): runs execute in this process through the same
 * `continueRun` the BullMQ worker calls, at most `concurrency` at a time, in arrival order, one activation per
 * run at a time (a message for a run that is executing marks it to be looked at again when it finishes, so
 * nothing recorded meanwhile is missed). Ask timeouts are timers. Nothing survives a restart here: the outbox
 * dispatcher and reconciler put stored runs (and overdue asks) back on startup.
 */
export function createInlineQueue(options: InlineQueueOptions): InlineRunQueue {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new QueueError("FD282", `concurrency must be a positive integer, got ${concurrency}.`);
  }
  const waiting: Slot[] = [];
  /** Runs waiting or executing here; `again` when more work arrived while executing. */
  const known = new Map<string, { again: boolean }>();
  const timers = new Map<string, NodeJS.Timeout>();
  let active = 0;
  /** Executing jobs per tenant, for `tenantConcurrency`. */
  const activeByTenant = new Map<string, number>();
  let closed = false;
  let idle: Array<() => void> = [];

  function execute(job: Slot): Promise<RunRecord | undefined> {
    if (job.work) return job.work();
    return job.kind === "timeout" && job.stepId
      ? options.engine.expireWait(job.tenantId, job.runId, job.stepId)
      : options.engine.continueRun(job.tenantId, job.runId);
  }

  /** The first waiting job whose tenant is under its cap, taken out of the line; undefined when none is. */
  function nextJob(): Slot | undefined {
    const capOf = options.tenantConcurrency;
    if (!capOf) return waiting.shift();
    const full = new Set<string>();
    for (let i = 0; i < waiting.length; i += 1) {
      const { tenantId } = waiting[i]!;
      if (full.has(tenantId)) continue;
      if ((activeByTenant.get(tenantId) ?? 0) < Math.max(1, capOf(tenantId))) return waiting.splice(i, 1)[0];
      full.add(tenantId);
    }
    return undefined;
  }

  function pump(): void {
    while (active < concurrency && waiting.length > 0) {
      const job = nextJob();
      if (!job) break;
      active += 1;
      activeByTenant.set(job.tenantId, (activeByTenant.get(job.tenantId) ?? 0) + 1);
      void execute(job)
        .then((run) => run && armTimeout(run))
        .catch((error: unknown) =>
          options.log?.error("inline run failed outside the engine", {
            runId: job.runId,
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          active -= 1;
          const running = (activeByTenant.get(job.tenantId) ?? 1) - 1;
          if (running > 0) activeByTenant.set(job.tenantId, running);
          else activeByTenant.delete(job.tenantId);
          const entry = known.get(job.runId);
          known.delete(job.runId);
          if (entry?.again && !closed) push({ tenantId: job.tenantId, runId: job.runId, kind: "resume" });
          pump();
        });
    }
    if (active === 0 && waiting.length === 0) {
      const resolve = idle;
      idle = [];
      for (const done of resolve) done();
    }
  }

  function push(job: RunJob): void {
    const entry = known.get(job.runId);
    // Same dedupe as BullMQ's jobId: a run already here is not added twice, only looked at once more.
    if (entry) {
      entry.again = true;
      return;
    }
    known.set(job.runId, { again: false });
    waiting.push(job);
  }

  function armTimeout(run: RunRecord): void {
    // An ask answered here leaves its timer behind until its deadline (a day by default): a finished run's
    // timer can only ever find nothing to expire, so it goes now instead of holding memory per conversation.
    if (TERMINAL_STATUSES.has(run.status)) {
      clearTimeout(timers.get(run.id));
      timers.delete(run.id);
      return;
    }
    const { waitingUntil, waitingStep } = run.state;
    if (closed || run.status !== "waiting" || !waitingUntil || !waitingStep) return;
    void schedule(run.tenantId, run.id, waitingStep, waitingUntil);
  }

  async function schedule(tenantId: string, runId: string, stepId: string, dueAt: string): Promise<void> {
    if (closed) throw new QueueError("FD280", "The run queue is closed.");
    clearTimeout(timers.get(runId));
    const delayMs = Math.max(0, Date.parse(dueAt) - Date.now());
    const timer = setTimeout(
      () => {
        timers.delete(runId);
        if (delayMs > MAX_TIMER_MS) return void schedule(tenantId, runId, stepId, dueAt);
        push({ tenantId, runId, kind: "timeout", stepId, dueAt });
        pump();
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    // A waiting ask must not keep the process alive; the reconciler finds it after a restart.
    timer.unref?.();
    timers.set(runId, timer);
  }

  async function add(jobs: readonly RunJob[]): Promise<void> {
    if (closed) throw new QueueError("FD280", "The run queue is closed.");
    for (const job of jobs) {
      if (job.kind === "timeout" && job.stepId && job.dueAt)
        await schedule(job.tenantId, job.runId, job.stepId, job.dueAt);
      else push({ ...job });
    }
    pump();
  }

  const drain = () =>
    new Promise<void>((resolve) => (active === 0 && waiting.length === 0 ? resolve() : idle.push(resolve)));
  return {
    driver: "inline",
    enqueueStart: (tenantId, runId) => add([{ tenantId, runId }]),
    async enqueueResume(tenantId, runId, resume, claim) {
      if (closed) throw new QueueError("FD280", "The run queue is closed.");
      // Recorded like in queue mode (FD206/FD207 reach the caller here), then applied in this process.
      // Applied here next, so the record also counts the activation that applies it (one transaction less).
      const { seq } = await options.engine.requestResume(tenantId, runId, resume, claim, true);
      await add([{ tenantId, runId, kind: "resume" }]);
      return { seq };
    },
    enqueueMany: add,
    runInSlot(tenantId, runId, work) {
      if (closed) return Promise.reject(new QueueError("FD280", "The run queue is closed."));
      return new Promise<RunRecord>((resolve, reject) => {
        known.set(runId, { again: false });
        // Its failure is the caller's (a replayed claim, say), not a queue error to log.
        const settle = () =>
          work().then(
            (run) => {
              resolve(run);
              return run;
            },
            (error: unknown) => {
              reject(error);
              return undefined;
            },
          );
        const drop = () => {
          known.delete(runId);
          reject(new QueueError("FD280", "The run queue closed before the run could start."));
        };
        waiting.push({ tenantId, runId, work: settle, drop });
        pump();
      });
    },
    scheduleTimeout: schedule,
    isLive: async (runId) => known.has(runId) || timers.has(runId),
    drain,
    timers: () => timers.size,
    async close() {
      closed = true;
      // Jobs are stored and come back through the outbox and reconciler; a caller's activation is only here.
      for (const slot of waiting) slot.drop?.();
      waiting.length = 0;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await drain();
      // Nothing executes here any more: requests recorded for this queue and dropped above give back the
      // activation their record counted, so the process that takes them over does not see a death.
      await options.engine.handBack();
    },
  };
}
