import type { Database } from "@flowdeck/runtime";
import { NO_TENANT } from "../store/nil-tenant";
import { ApiError } from "./api-error";
import type { RouteDefinition } from "./route-table";

/** Liveness needs nothing; readiness pings the database through the app role, as requests do. */
export function healthRoutes(db: Database): RouteDefinition[] {
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
      summary: "Readiness: the database answers.",
      auth: "public",
      status: 200,
      handler: async (_req, res) => {
        try {
          await db.transaction((sql) => sql.query("SELECT 1"), NO_TENANT);
        } catch {
          throw new ApiError("FD390", "The database is not reachable.");
        }
        res.json({ status: "ready", database: "ok" });
      },
    },
  ];
}
