import type { Database } from "../store/database";
import { getTenant, type TenantPlan } from "../store/tenant-store";

const PLAN_CACHE_TTL_MS = 60_000;

/**
 * Each job needs its tenant's plan (for its limits); plans change rarely, so a worker reads each tenant's at
 * most once a minute. An upgrade shows within a minute. Unknown tenant: undefined (the engine reports FD206).
 */
export function createPlanCache(db: Database): { plan(tenantId: string): Promise<TenantPlan | undefined> } {
  const cache = new Map<string, { plan: TenantPlan | undefined; expiresAt: number }>();
  return {
    async plan(tenantId) {
      const hit = cache.get(tenantId);
      if (hit && hit.expiresAt > Date.now()) return hit.plan;
      const plan = (await getTenant(db, tenantId).catch(() => undefined))?.plan;
      if (cache.size > 10_000) cache.clear();
      cache.set(tenantId, { plan, expiresAt: Date.now() + PLAN_CACHE_TTL_MS });
      return plan;
    },
  };
}
