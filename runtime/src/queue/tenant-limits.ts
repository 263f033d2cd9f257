import type { Redis } from "ioredis";
import type { TenantPlan } from "../store/tenant-store";

/** What a plan allows in the queue. */
export interface PlanQueueLimits {
  /** Runs of the tenant executing at once, over all workers. */
  readonly concurrentRuns: number;
  /** Activations started per second, over all workers; null = unlimited. */
  readonly runsPerSecond: number | null;
}

/** Concurrency matches the server's plan table (server/src/plans/plan-limits.ts `concurrentRuns`). */
export const DEFAULT_PLAN_QUEUE_LIMITS: Readonly<Record<TenantPlan, PlanQueueLimits>> = {
  free: { concurrentRuns: 2, runsPerSecond: 10 },
  pro: { concurrentRuns: 10, runsPerSecond: 100 },
  enterprise: { concurrentRuns: 50, runsPerSecond: null },
};

/** A slot was granted, or why not and how long to wait before trying again. */
export type SlotAnswer = { readonly granted: true } | { readonly granted: false; readonly retryInMs: number };

// KEYS[1] the tenant's leases (zset: job id → lease expiry ms), KEYS[2] this second's start counter.
// ARGV: now ms, lease ms, concurrency, job id, starts per second (0 = unlimited).
// Expired leases (a worker killed mid-run) are dropped first, so a crash frees its slot within one lease.
// A job that already holds a lease (redelivered) keeps it. Returns 0 granted, 1 no slot, 2 over the rate.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local expiry = tonumber(ARGV[1]) + tonumber(ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then redis.call('ZADD', KEYS[1], expiry, ARGV[4]) return 0 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 1 end
local rate = tonumber(ARGV[5])
if rate > 0 then
  local n = tonumber(redis.call('GET', KEYS[2]) or '0')
  if n >= rate then return 2 end
  redis.call('INCR', KEYS[2]) redis.call('PEXPIRE', KEYS[2], 2000)
end
redis.call('ZADD', KEYS[1], expiry, ARGV[4]) redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

// Extends a held lease (a long run); nothing if it expired meanwhile.
const RENEW = `if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) redis.call('PEXPIRE', KEYS[1], ARGV[3]) end return 0`;

export interface TenantLimiter {
  acquire(tenantId: string, limits: PlanQueueLimits, jobId: string): Promise<SlotAnswer>;
  renew(tenantId: string, jobId: string): Promise<void>;
  release(tenantId: string, jobId: string): Promise<void>;
  /** Leases currently held by the tenant (tests, metrics). */
  active(tenantId: string): Promise<number>;
}

/**
 * Per-tenant concurrency and start rate over all workers, without BullMQ Pro groups: a lease per executing
 * job in a Redis sorted set per tenant, taken by one Lua script (atomic across workers). A job that gets no
 * slot goes back to the delayed set for `retryInMs` (the worker's moveToDelayed), keeping its priority, so the
 * tenant's other jobs never hold a worker slot while they wait. Leases expire after `leaseMs` unless renewed.
 */
export function createTenantLimiter(redis: Redis, prefix: string, leaseMs: number): TenantLimiter {
  const leases = (tenantId: string) => `${prefix}:limits:active:${tenantId}`;
  return {
    async acquire(tenantId, limits, jobId) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      const answer = Number(
        await redis.eval(
          ACQUIRE,
          2,
          leases(tenantId),
          `${prefix}:limits:rate:${tenantId}:${second}`,
          now,
          leaseMs,
          limits.concurrentRuns,
          jobId,
          limits.runsPerSecond ?? 0,
        ),
      );
      if (answer === 0) return { granted: true };
      // No slot: try again soon, with jitter so a tenant's waiting jobs do not all come back at once.
      // Over the rate: at the next second.
      const retryInMs = answer === 1 ? 50 + Math.floor(Math.random() * 100) : 1000 - (now % 1000) + 5;
      return { granted: false, retryInMs };
    },
    async renew(tenantId, jobId) {
      await redis.eval(RENEW, 1, leases(tenantId), Date.now() + leaseMs, jobId, leaseMs);
    },
    async release(tenantId, jobId) {
      await redis.zrem(leases(tenantId), jobId);
    },
    async active(tenantId) {
      await redis.zremrangebyscore(leases(tenantId), "-inf", Date.now());
      return redis.zcard(leases(tenantId));
    },
  };
}
