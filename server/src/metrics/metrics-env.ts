import { StartupError } from "../config/startup-error";

/**
 * FLOWDECK_METRICS_MAX_TENANTS: how many tenants get `flowdeck_tenant_*` series of their own (default 1000; 0 turns
 * per-tenant series off, e.g. where tenant ids must not leave the deployment). Not a whole number refuses the
 * start (FD398) rather than running with a cap nobody chose.
 */
export function maxTenantSeriesFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.FLOWDECK_METRICS_MAX_TENANTS?.trim();
  if (!raw) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new StartupError(
      "FD398",
      `FLOWDECK_METRICS_MAX_TENANTS must be a whole number (0 = off), not "${raw}".`,
    );
  }
  return value;
}
