import type { Database, Sql } from "@flowdeck/runtime";
import type { Request, Response } from "express";
import type { RouteDefinition } from "../app/route-table";
import { inTenant } from "../domain-api/route-kit";
import { intParam, parseQuery, textParam } from "../domain-api/query-params";
import { leadConversion, resolution, runsPerDay, usagePerDay, type AnalyticsWindow } from "./analytics-store";

export const ANALYTICS_DEFAULT_DAYS = 30;
export const ANALYTICS_MAX_DAYS = 365;

const days = intParam(1, ANALYTICS_MAX_DAYS);

/**
 * One read-only route per metric, any member of the tenant (viewer and up). Each takes `days` (1–365,
 * default 30: the last N UTC calendar days, today included); the run metrics also take `workflow` (a name).
 */
export function analyticsRoutes(db: Database): RouteDefinition[] {
  const metric =
    (withWorkflow: boolean, query: (sql: Sql, window: AnalyticsWindow) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const parsed: { days?: number; workflow?: string } = parseQuery(
        req,
        withWorkflow ? { days, workflow: textParam(64) } : { days },
      );
      const window: AnalyticsWindow = {
        days: parsed.days ?? ANALYTICS_DEFAULT_DAYS,
        ...(parsed.workflow ? { workflow: parsed.workflow } : {}),
      };
      res.json({ days: window.days, ...((await inTenant(db, res, (sql) => query(sql, window))) as object) });
    };

  return [
    {
      method: "get",
      path: "/analytics/runs",
      summary: "Runs started per day, by status now (?days=30, ?workflow=).",
      auth: "user",
      status: 200,
      handler: metric(true, runsPerDay),
    },
    {
      method: "get",
      path: "/analytics/resolution",
      summary:
        "Resolution, handoff and failure rates of the runs concluded in the window (?days=30, ?workflow=).",
      auth: "user",
      status: 200,
      handler: metric(true, resolution),
    },
    {
      method: "get",
      path: "/analytics/leads",
      summary: "Lead conversion: leads created in the window by status, conversion and win rate (?days=30).",
      auth: "user",
      status: 200,
      handler: metric(false, leadConversion),
    },
    {
      method: "get",
      path: "/analytics/usage",
      summary:
        "Model tokens and cost per day from the steps that called a model, and savedUsd by local routing (?days=30, ?workflow=).",
      auth: "user",
      status: 200,
      handler: metric(true, usagePerDay),
    },
  ];
}
