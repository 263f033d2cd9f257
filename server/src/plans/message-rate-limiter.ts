import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { ApiError } from "../kit/api-error";
import { PLAN_LIMITS, PLAN_NAMES, type PlanName } from "./plan-limits";

export interface MessageRateLimiter {
  /** Counts one customer message of the tenant, or throws 429 FD352 with Retry-After. */
  consume(tenantId: string, plan: string): Promise<void>;
}

/**
 * Messages per minute per tenant, from its plan (rate-limiter-flexible, fixed one-minute windows). In memory per
 * process: with several API processes each enforces the limit on its share; a Redis store is the fix when the
 * exact total matters (queue mode).
 */
export function createMessageRateLimiter(
  limiterFor: (plan: PlanName, points: number) => RateLimiterAbstract = (_plan, points) =>
    new RateLimiterMemory({ points, duration: 60 }),
): MessageRateLimiter {
  const limiters = new Map<PlanName, RateLimiterAbstract | null>();
  for (const plan of PLAN_NAMES) {
    const points = PLAN_LIMITS[plan].messagesPerMinute;
    limiters.set(plan, points === null ? null : limiterFor(plan, points));
  }
  return {
    async consume(tenantId, plan) {
      const limiter = limiters.get(plan as PlanName) ?? limiters.get("free")!;
      if (!limiter) return;
      try {
        await limiter.consume(tenantId);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new ApiError("FD352", `The ${plan} plan allows ${limiter.points} messages per minute.`, {
          headers: { "Retry-After": String(seconds) },
        });
      }
    },
  };
}
