import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "@flowdeck/node-library/runtime";
import { silentLogger } from "../engine/engine-deps";
import { QueueError } from "./queue-errors";
import { createRedisConnection } from "./redis-connection";
import type { RunJob, RunQueue } from "./run-queue";
import { createTenantFairness } from "./tenant-fairness";

/** The one BullMQ queue every run goes through; fairness comes from priorities, not from more queues. */
export const RUN_QUEUE_NAME = "runs";

export interface BullmqQueueOptions {
  readonly redisUrl: string;
  /** Key prefix, one per deployment (and per test file). Default `flowdeck`. */
  readonly prefix?: string;
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
}

/** Job options for a run: jobId = runId, so an outbox replay or a reconciler pass never adds a second job. */
export function runJobOptions(options: BullmqQueueOptions, runId: string, priority: number): JobsOptions {
  return {
    jobId: runId,
    priority,
    attempts: options.attempts ?? 5,
    backoff: { type: "exponential", delay: options.backoffMs ?? 1_000 },
    removeOnComplete: { count: options.keepCompleted ?? 1_000, age: 24 * 3_600 },
    removeOnFail: { count: options.keepFailed ?? 5_000, age: 7 * 24 * 3_600 },
  };
}

const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

export function createBullmqQueue(options: BullmqQueueOptions): BullmqRunQueue {
  const prefix = options.prefix ?? "flowdeck";
  if ((options.attempts ?? 5) < 1) throw new QueueError("FD282", "attempts must be at least 1.");
  const connection: Redis = createRedisConnection(options.redisUrl);
  const queue = new Queue<RunJob>(RUN_QUEUE_NAME, { connection, prefix });
  const fairness = createTenantFairness(connection, prefix);
  const log = options.log ?? silentLogger;
  // Without a listener an 'error' event would be printed by ioredis or thrown; the outbox retries anyway.
  queue.on("error", (error) => log.warn("run queue error", { error: error.message }));
  let closed = false;

  async function addAll(jobs: readonly RunJob[]): Promise<void> {
    if (closed) throw new QueueError("FD280", "The run queue is closed.");
    if (jobs.length === 0) return;
    const priorities = await fairness.priorities(jobs.map((job) => job.tenantId));
    await queue.addBulk(
      jobs.map((job, i) => ({
        name: "run",
        data: { tenantId: job.tenantId, runId: job.runId },
        opts: runJobOptions(options, job.runId, priorities[i]!),
      })),
    );
  }

  return {
    driver: "bullmq",
    queue,
    prefix,
    enqueueStart: (tenantId, runId) => addAll([{ tenantId, runId }]),
    enqueueMany: addAll,
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
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
