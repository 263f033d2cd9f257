import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { waitingSinceKey } from "./tenant-fairness";

/** Gauges for Prometheus and `/readyz` (issue 7): counts by state, the oldest wait, live workers. */
export interface QueueStats {
  /** Jobs ready to run (BullMQ's `wait` plus `prioritized`; every run job has a priority). */
  readonly waiting: number;
  /** Delayed: retries with backoff, ask timeouts, jobs waiting for their tenant's slot or rate. */
  readonly delayed: number;
  readonly active: number;
  /** Failed for good (kept `keepFailed`); the reconciler still re-enqueues their runs. */
  readonly failed: number;
  /** Jobs found stalled (their worker died or hung) since the queue's stats key was created; a counter. */
  readonly stalled: number;
  /** How long the oldest job not yet started has waited, in ms; 0 when none waits. */
  readonly oldestWaitMs: number;
  /** Worker connections BullMQ sees on this queue (`getWorkers`); 0 means nothing executes runs. */
  readonly workers: number;
}

/** The Redis counter workers INCR on BullMQ's `stalled` event. */
export function stalledCounterKey(prefix: string): string {
  return `${prefix}:stats:stalled`;
}

const SETTLED = new Set(["completed", "failed", "unknown"]);

export async function readQueueStats(queue: Queue, redis: Redis, prefix: string): Promise<QueueStats> {
  const [counts, stalled, workers] = await Promise.all([
    queue.getJobCounts("wait", "prioritized", "delayed", "active", "failed"),
    redis.get(stalledCounterKey(prefix)),
    queue.getWorkersCount(),
  ]);
  return {
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
    delayed: counts.delayed ?? 0,
    active: counts.active ?? 0,
    failed: counts.failed ?? 0,
    stalled: Number(stalled ?? 0),
    oldestWaitMs: await oldestWaitMs(queue, redis, prefix),
    workers,
  };
}

/**
 * The wait-time set may hold a job that never started (a duplicate add BullMQ ignored after the first job
 * finished): such entries are dropped on sight, so the answer is the oldest job that really still waits.
 */
async function oldestWaitMs(queue: Queue, redis: Redis, prefix: string): Promise<number> {
  const key = waitingSinceKey(prefix);
  for (let checked = 0; checked < 20; checked += 1) {
    const [member, score] = await redis.zrange(key, "0", "0", "WITHSCORES");
    if (member === undefined || score === undefined) return 0;
    const state = await queue.getJobState(member);
    if (!SETTLED.has(state)) return Math.max(0, Date.now() - Number(score));
    await redis.zrem(key, member);
  }
  return 0;
}
