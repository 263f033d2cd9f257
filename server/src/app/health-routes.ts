import type { Database } from "@flowdeck/runtime";
import { runReadinessChecks, type ReadinessCheck } from "../metrics/readiness";
import { NO_TENANT } from "../store/nil-tenant";
import { ApiError } from "../kit/api-error";
import type { Logger } from "../kit/logger";
import type { RouteDefinition } from "../kit/route-table";

export interface HealthRoutesOptions {
  readonly db: Database;
  /** Checks after `database` (queue, workers …), from createApp's `readinessChecks`. */
  readonly checks?: readonly ReadinessCheck[];
  readonly log: Logger;
}

/** The built-in check: a tenant transaction through the app role, exactly as requests use the database. */
export function databaseReadinessCheck(db: Database): ReadinessCheck {
  return {
    name: "database",
    hint: "Check that the database is reachable, then retry.",
    check: async () => void (await db.transaction((sql) => sql.query("SELECT 1"), NO_TENANT)),
  };
}

/**
 * Liveness needs nothing. Readiness runs every named check in parallel and answers 503 FD390 naming the ones
 * that failed; the answer says only ok / failed / timeout per check (the endpoint is public, error texts can
 * name hosts), the log gets the errors.
 */
export function healthRoutes({ db, checks = [], log }: HealthRoutesOptions): RouteDefinition[] {
  const all = [databaseReadinessCheck(db), ...checks];
  return [
    {
      method: "get",
      path: "/healthz",
      summary: "Liveness: the process answers.",
      auth: "public",
      status: 200,
      handler: async (_req, res) => {
        res.json({ status: "ok" });
      },
    },
    {
      method: "get",
      path: "/readyz",
      summary: `Readiness: ${all.map((check) => check.name).join(", ")} answer (503 FD390 names what failed).`,
      auth: "public",
      status: 200,
      handler: async (_req, res) => {
        const report = await runReadinessChecks(all);
        if (!report.ready) {
          for (const failure of report.failures) {
            log.warn("readiness check failed", {
              check: failure.name,
              outcome: failure.outcome,
              error: failure.error,
            });
          }
          const names = report.failures.map((failure) => `${failure.name} (${failure.outcome})`);
          const first = report.failures[0];
          throw new ApiError("FD390", `Not ready: ${names.join(", ")}.`, {
            ...(first?.hint ? { hint: first.hint } : {}),
            details: { checks: report.checks },
          });
        }
        res.json({ status: "ready", checks: report.checks });
      },
    },
  ];
}
