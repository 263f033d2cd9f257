import type { Redis } from "ioredis";
import type { TenantPlan } from "../store/tenant-store";
import { defineScript } from "./redis-script";

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

/**
 * Lua function `acquire_slot(leases, rate_key, now, lease_ms, concurrency, job, per_second)`: `leases` is the
 * tenant's zset (job id → lease expiry ms), `rate_key` this second's start counter, `per_second` 0 = unlimited.
 * Expired leases (a worker killed mid-run) are dropped first, so a crash frees its slot within one lease. A job
 * that already holds a lease (redelivered) keeps it. Returns 0 granted, 1 no slot, 2 over the rate. Shared with
 * the worker's admission script (job-admission.ts).
 */
export const ACQUIRE_SLOT_LUA = `local function acquire_slot(leases, rate_key, now, lease_ms, concurrency, job, per_second)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  local expiry = tonumber(now) + tonumber(lease_ms)
  if redis.call('ZSCORE', leases, job) then redis.call('ZADD', leases, expiry, job) return 0 end
  if redis.call('ZCARD', leases) >= tonumber(concurrency) then return 1 end
  local rate = tonumber(per_second)
  if rate > 0 then
    local n = tonumber(redis.call('GET', rate_key) or '0')
    if n >= rate then return 2 end
    redis.call('INCR', rate_key) redis.call('PEXPIRE', rate_key, 2000)
  end
  redis.call('ZADD', leases, expiry, job) redis.call('PEXPIRE', leases, lease_ms)
  return 0
end
`;

// Extends a held lease (a long run); nothing if it expired meanwhile.
const RENEW = `if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) redis.call('PEXPIRE', KEYS[1], ARGV[3]) end return 0`;

/** The tenant's leases: a sorted set of job id → lease expiry (ms). */
export function leasesKey(prefix: string, tenantId: string): string {
  return `${prefix}:limits:active:${tenantId}`;
}

/** The tenant's count of starts in the second `nowMs` falls in. */
export function rateKey(prefix: string, tenantId: string, nowMs: number): string {
  return `${prefix}:limits:rate:${tenantId}:${Math.floor(nowMs / 1000)}`;
}

/** What `acquire_slot` answered (0, 1, 2) as a SlotAnswer: a retry soon with jitter, or at the next second. */
export function slotAnswer(answer: number, nowMs: number): SlotAnswer {
  if (answer === 0) return { granted: true };
  // No slot: try again soon, with jitter so a tenant's waiting jobs do not all come back at once.
  // Over the rate: at the next second.
  const retryInMs = answer === 1 ? 50 + Math.floor(Math.random() * 100) : 1000 - (nowMs % 1000) + 5;
  return { granted: false, retryInMs };
}

export interface TenantLimiter {
  renew(tenantId: string, jobId: string): Promise<void>;
  release(tenantId: string, jobId: string): Promise<void>;
  /** Leases currently held by the tenant (tests, metrics). */
  active(tenantId: string): Promise<number>;
}

/**
 * Per-tenant concurrency and start rate over all workers, without BullMQ Pro groups: a lease per executing
 * job in a Redis sorted set per tenant, taken by the worker's admission script (job-admission.ts, atomic across
 * workers); renewed and released here. A job that gets no
 * slot goes back to the delayed set for `retryInMs` (the worker's moveToDelayed), keeping its priority, so the
 * tenant's other jobs never hold a worker slot while they wait. Leases expire after `leaseMs` unless renewed.
 */
export function createTenantLimiter(redis: Redis, prefix: string, leaseMs: number): TenantLimiter {
  const renew = defineScript(redis, "limits_renew", 1, RENEW);
  return {
    async renew(tenantId, jobId) {
      await renew([leasesKey(prefix, tenantId)], [Date.now() + leaseMs, jobId, leaseMs]);
    },
    async release(tenantId, jobId) {
      await redis.zrem(leasesKey(prefix, tenantId), jobId);
    },
    async active(tenantId) {
      await redis.zremrangebyscore(leasesKey(prefix, tenantId), "-inf", Date.now());
      return redis.zcard(leasesKey(prefix, tenantId));
    },
  };
}
