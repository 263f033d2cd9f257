import type { Redis } from "ioredis";
import { defineScript } from "./redis-script";

/** BullMQ's highest priority value (2^21 - 1); lower numbers run first. */
const MAX_PRIORITY = 2_097_151;
/** A tenant idle this long starts from priority 1 again, which also heals any drift from lost decrements. */
const PENDING_TTL_SECONDS = 3_600;

// INCR and refresh the TTL in one round trip; the result is the job's place in its tenant's line. The job's
// enqueue time goes into one sorted set per queue (NX: a duplicate add keeps the first time), so the oldest
// waiting job is one ZRANGE away for the metrics, at no extra round trip. A job BullMQ still holds (KEYS[3],
// its hash: waiting, running or kept after completion) is not counted again: the add will be a no-op and
// the job never starts a second time to give the count back (an outbox replay, a reconciler pass).
const TAKE = `if redis.call('EXISTS', KEYS[3]) == 1 then return tonumber(redis.call('GET', KEYS[1]) or '1') end
local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[3]) return n`;

/**
 * Lua function `leave_line(pending, since, job)`: a starting job leaves its tenant's line (the pending count
 * and the wait-time set). Never below zero: a decrement for a job counted before a Redis restart must not earn
 * a tenant credit. Shared with the worker's admission script (job-admission.ts), which calls it in the same
 * script as the slot request.
 */
export const LEAVE_LINE_LUA = `local function leave_line(pending, since, job)
  local left = redis.call('DECR', pending) if left < 0 then redis.call('SET', pending, 0) left = 0 end
  redis.call('ZREM', since, job) return left
end
`;

/**
 * Fairness without BullMQ Pro groups: round-robin between tenants through job priorities. A job's priority is
 * its tenant's number of pending jobs when it was enqueued (1 for the first, 2000 for a flood's last), so the
 * k-th pending job of every tenant shares priority k and BullMQ takes tenants in turn. A tenant with one run
 * waits for one free worker slot, however many runs another tenant queued. The count goes down when a job
 * starts for the first time (a redelivered job does not count twice): the worker's admission script
 * (job-admission.ts) calls LEAVE_LINE_LUA.
 */
export interface TenantFairness {
  /** Priorities for new jobs of these tenants (job ids name them in the wait-time set). */
  priorities(jobs: ReadonlyArray<{ tenantId: string; jobId: string }>): Promise<number[]>;
}

/** The sorted set of enqueue times (ms) by job id, read by `queueStats` for the oldest waiting job. */
export function waitingSinceKey(prefix: string): string {
  return `${prefix}:fairness:waiting-since`;
}

/** A tenant's count of jobs enqueued and not yet started. */
export function pendingCountKey(prefix: string, tenantId: string): string {
  return `${prefix}:fairness:pending:${tenantId}`;
}

/**
 * `queueName`: the BullMQ queue whose job hashes (`<prefix>:<queue>:<job id>`) tell a duplicate add. `redis`
 * should auto-pipeline (createRedisConnection): the jobs of one call, and the calls of concurrent requests,
 * then leave in one socket write.
 */
export function createTenantFairness(redis: Redis, prefix: string, queueName: string): TenantFairness {
  const jobKey = (jobId: string) => `${prefix}:${queueName}:${jobId}`;
  const since = waitingSinceKey(prefix);
  const clamp = (n: number) => Math.max(1, Math.min(MAX_PRIORITY, n));
  const take = defineScript(redis, "fairness_take", 3, TAKE);
  return {
    async priorities(jobs) {
      const now = Date.now();
      const counts = await Promise.all(
        jobs.map((job) =>
          take(
            [pendingCountKey(prefix, job.tenantId), since, jobKey(job.jobId)],
            [PENDING_TTL_SECONDS, now, job.jobId],
          ),
        ),
      );
      return counts.map((n) => clamp(Number(n)));
    },
  };
}
