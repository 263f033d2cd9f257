import type { Database } from "@flowdeck/runtime";
import { limitsOf } from "./plan-limits";
import { DEFAULT_PLAN } from "./set-tenant-plan";

/** How long a tenant's plan is trusted before it is read again (a `flowdeck tenant set-plan` shows within it). */
const PLAN_TTL_MS = 60_000;
const MAX_TENANTS = 10_000;

export interface TenantRunCaps {
  /**
   * Runs of the tenant that may execute at once in this process: its plan's `concurrentRuns`. Synchronous (the
   * inline queue asks whenever a slot frees); a tenant not read yet gets the default plan's cap, the lowest, and a
   * read starts, so a cap is never higher than the plan's.
   */
  capOf(tenantId: string): number;
  /** Reads the tenant's plan unless it is fresh: the run host calls it before enqueueing, so the cap is exact. */
  prime(tenantId: string): Promise<void>;
}

/**
 * The plan's concurrency cap for the inline queue (issue 19: inline mode used to run 8 at once for a free tenant
 * capped at 2; queue mode has always enforced it with the workers' Redis leases, runtime's tenant-limits.ts).
 * Per process, like the inline queue itself.
 */
export function createTenantRunCaps(db: Database): TenantRunCaps {
  const plans = new Map<string, { cap: number; readAtMs: number }>();
  const reading = new Map<string, Promise<void>>();

  function read(tenantId: string): Promise<void> {
    let pending = reading.get(tenantId);
    if (!pending) {
      pending = db
        .statement<{ plan: string }>("SELECT plan FROM tenants WHERE id = $1", [tenantId], { tenantId })
        .then(
          ({ rows }) => {
            plans.delete(tenantId);
            plans.set(tenantId, {
              cap: limitsOf(rows[0]?.plan ?? DEFAULT_PLAN).concurrentRuns,
              readAtMs: Date.now(),
            });
            if (plans.size > MAX_TENANTS) plans.delete(plans.keys().next().value!);
          },
          // The default plan's cap stays in force; the next start reads again.
          () => undefined,
        )
        .finally(() => reading.delete(tenantId));
      reading.set(tenantId, pending);
    }
    return pending;
  }

  const fresh = (tenantId: string) => {
    const entry = plans.get(tenantId);
    return entry && Date.now() - entry.readAtMs < PLAN_TTL_MS ? entry : undefined;
  };

  return {
    capOf(tenantId) {
      const entry = plans.get(tenantId);
      if (!fresh(tenantId)) void read(tenantId);
      return entry?.cap ?? limitsOf(DEFAULT_PLAN).concurrentRuns;
    },
    async prime(tenantId) {
      if (!fresh(tenantId)) await read(tenantId);
    },
  };
}
