import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "@flowdeck/node-library/runtime";
import type { Engine } from "../engine/engine";
import { silentLogger } from "../engine/engine-deps";
import { activeTraceCarrier } from "../telemetry/trace-carrier";
import { QueueError } from "./queue-errors";
import { readQueueStats, type QueueStats } from "./queue-stats";
import { createRedisConnection } from "./redis-connection";
import type { RunJob, RunQueue } from "./run-queue";
import { createTenantFairness, type TenantFairness } from "./tenant-fairness";

/** The one BullMQ queue every run goes through; fairness comes from priorities, not from more queues. */
export const RUN_QUEUE_NAME = "runs";

export interface BullmqQueueOptions {
  readonly redisUrl: string;
  /** Key prefix, one per deployment (and per test file). Default `flowdeck`. */
  readonly prefix?: string;
  /**
   * Records messages and hand-backs before they are enqueued (`enqueueResume`); only `requestResume` is
   * called, nothing executes in this process. Without it `enqueueResume` fails with FD284.
   */
  readonly engine?: Pick<Engine, "requestResume">;
  /**
   * Tries per job for infrastructure failures (database or Redis down). Default 5. A run's own failures never
   * throw out of the engine (they end the run as `failed`), so they are never retried here.
   */
  readonly attempts?: number;
  /** First retry delay, doubled per try. Default 1,000 ms. */
  readonly backoffMs?: number;
  /** Completed jobs kept for inspection. Default 1,000 jobs, at most 24 h. */
  readonly keepCompleted?: number;
  /** Failed jobs kept. Default 5,000 jobs, at most 7 days. */
  readonly keepFailed?: number;
  /** Connection trouble (Redis down, reconnecting) is logged here as warnings. */
  readonly log?: Logger;
}

export interface BullmqRunQueue extends RunQueue {
  readonly driver: "bullmq";
  readonly queue: Queue<RunJob>;
  readonly prefix: string;
  /** Counts by state, the oldest wait, live workers: for Prometheus gauges and `/readyz`. */
  queueStats(): Promise<QueueStats>;
}

/**
 * One job per thing to do: a start is the run's id (an outbox replay or a reconciler pass adds nothing), a
 * recorded message its outbox row's id, a timeout its run and deadline. BullMQ refuses `:` in custom ids.
 */
export function runJobId(job: RunJob): string {
  switch (job.kind ?? "start") {
    case "start":
      return job.runId;
    case "resume":
      return `resume-${job.requestId ?? job.runId}`;
    case "timeout":
      return `timeout-${job.runId}-${Date.parse(job.dueAt ?? "") || 0}`;
  }
}

/** Job options for a run job (see runJobId for the id). */
export function runJobOptions(options: BullmqQueueOptions, job: RunJob, priority: number): JobsOptions {
  return {
    jobId: runJobId(job),
    priority,
    attempts: options.attempts ?? 5,
    backoff: { type: "exponential", delay: options.backoffMs ?? 1_000 },
    removeOnComplete: { count: options.keepCompleted ?? 1_000, age: 24 * 3_600 },
    removeOnFail: { count: options.keepFailed ?? 5_000, age: 7 * 24 * 3_600 },
  };
}

const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

function jobData(job: RunJob): RunJob {
  // Only ids go to Redis; whatever else a caller's object carries stays out.
  return {
    tenantId: job.tenantId,
    runId: job.runId,
    kind: job.kind ?? "start",
    ...(job.requestId !== undefined ? { requestId: job.requestId } : {}),
    ...(job.stepId !== undefined ? { stepId: job.stepId } : {}),
    ...(job.dueAt !== undefined ? { dueAt: job.dueAt } : {}),
    ...(job.trace !== undefined ? { trace: job.trace } : {}),
  };
}

function withTrace(job: RunJob): RunJob {
  const trace = activeTraceCarrier();
  return trace ? { ...job, trace } : job;
}

export function createBullmqQueue(options: BullmqQueueOptions): BullmqRunQueue {
  const prefix = options.prefix ?? "flowdeck";
  if ((options.attempts ?? 5) < 1) throw new QueueError("FD282", "attempts must be at least 1.");
  const connection: Redis = createRedisConnection(options.redisUrl);
  const queue = new Queue<RunJob>(RUN_QUEUE_NAME, { connection, prefix });
  const log = options.log ?? silentLogger;
  // Fairness scripts on a connection of their own that auto-pipelines (BullMQ's never does); opened on the
  // first enqueue, since a worker's queue only schedules timeouts.
  let fairnessConnection: Redis | undefined;
  let fairness: TenantFairness | undefined;
  // Without a listener an 'error' event would be printed by ioredis or thrown; the outbox retries anyway.
  queue.on("error", (error) => log.warn("run queue error", { error: error.message }));
  let closed = false;
  // Jobs enqueued in one event-loop iteration (concurrent API requests) go to Redis together: one write for
  // their fairness scripts, one addBulk. Each caller still learns whether its own jobs were added.
  let batch: Array<{ jobs: readonly RunJob[]; done: (error?: unknown) => void }> = [];

  async function addBatch(jobs: readonly RunJob[]): Promise<void> {
    if (!fairness) {
      fairnessConnection = createRedisConnection(options.redisUrl, { autoPipelining: true });
      fairnessConnection.on("error", (error: Error) => log.warn("run queue error", { error: error.message }));
      fairness = createTenantFairness(fairnessConnection, prefix, RUN_QUEUE_NAME);
    }
    // The same job twice in one batch is counted and added once (the second add would be a no-op anyway).
    const unique = [...new Map(jobs.map((job) => [runJobId(job), job])).values()];
    const priorities = await fairness.priorities(
      unique.map((job) => ({ tenantId: job.tenantId, jobId: runJobId(job) })),
    );
    await queue.addBulk(
      unique.map((job, i) => ({
        name: job.kind ?? "start",
        data: jobData(job),
        opts: runJobOptions(options, job, priorities[i]!),
      })),
    );
  }

  const inFlight = new Set<Promise<void>>();

  function flush(): void {
    const callers = batch;
    batch = [];
    if (callers.length === 0) return;
    const added = addBatch(callers.flatMap((caller) => caller.jobs)).then(
      () => callers.forEach((caller) => caller.done()),
      (error: unknown) => callers.forEach((caller) => caller.done(error)),
    );
    inFlight.add(added);
    void added.finally(() => inFlight.delete(added));
  }

  function addAll(jobs: readonly RunJob[]): Promise<void> {
    if (closed) return Promise.reject(new QueueError("FD280", "The run queue is closed."));
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ jobs, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  return {
    driver: "bullmq",
    queue,
    prefix,
    // The caller's trace context rides along (nothing without an SDK), read now: the add happens a tick later.
    enqueueStart: (tenantId, runId) => addAll([withTrace({ tenantId, runId })]),
    async enqueueResume(tenantId, runId, resume, claim) {
      if (closed) throw new QueueError("FD280", "The run queue is closed.");
      if (!options.engine) {
        throw new QueueError("FD284", "enqueueResume needs the queue's `engine` option (requestResume).");
      }
      // Durable first: a crash after this line loses nothing, the outbox row enqueues the request later.
      const recorded = await options.engine.requestResume(tenantId, runId, resume, claim);
      await addAll([withTrace({ tenantId, runId, kind: "resume", requestId: recorded.outboxId })]);
      return { seq: recorded.seq };
    },
    enqueueMany: addAll,
    async scheduleTimeout(tenantId, runId, stepId, dueAt) {
      if (closed) throw new QueueError("FD280", "The run queue is closed.");
      const job: RunJob = { tenantId, runId, kind: "timeout", stepId, dueAt };
      // Not counted in the tenant's line: it is not waiting for a slot yet, only for its time.
      await queue.add("timeout", jobData(job), {
        ...runJobOptions(options, job, 1),
        delay: Math.max(0, Date.parse(dueAt) - Date.now()),
      });
    },
    async isLive(runId) {
      const job = await queue.getJob(runId);
      if (!job) return false;
      const state = await job.getState();
      if (LIVE_STATES.has(state)) return true;
      // Completed or failed but the run still needs work (the reconciler asks): drop the old job so the
      // jobId is free again; otherwise BullMQ would silently ignore the new add.
      await job.remove().catch(() => undefined);
      return false;
    },
    queueStats: () => readQueueStats(queue, connection, prefix),
    async close() {
      if (closed) return;
      closed = true;
      // Jobs accepted before close are still added.
      flush();
      await Promise.allSettled(inFlight);
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
      await fairnessConnection?.quit().catch(() => fairnessConnection?.disconnect());
    },
  };
}
