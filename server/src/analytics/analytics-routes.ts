import type { Database, Sql } from "@flowdeck/runtime";
import type { Request, Response } from "express";
import type { RouteDefinition } from "../kit/route-table";
import { inTenant } from "../domain-api/route-kit";
import { enumParam, intParam, parseQuery, textParam } from "../domain-api/query-params";
import { leadConversion, runsPerDay, usagePerDay } from "./analytics-store";
import { TEST_RUNS, type AnalyticsWindow, type TestRuns } from "./analytics-window";
import { routerTiers } from "./router-tiers";
import { outcomesByWorkflow, resolution } from "./run-outcomes";

export const ANALYTICS_DEFAULT_DAYS = 30;
export const ANALYTICS_MAX_DAYS = 365;

const days = intParam(1, ANALYTICS_MAX_DAYS);
const version = intParam(1, 1_000_000);
const testRuns = enumParam(TEST_RUNS);

/**
 * One read-only route per metric, any member of the tenant (viewer and up). Each takes `days` (1–365,
 * default 30: the last N UTC calendar days, today included); the run metrics also take `workflow` (a name),
 * `version` (a published version number) and `testRuns`: `exclude` (default) counts customers' runs only,
 * since the editor's test runs are staff trying a flow; `include` counts both, `only` the test runs alone.
 * Lead conversion takes `days` and `testRuns` (of the run that captured each lead), no workflow or version.
 */
export function analyticsRoutes(db: Database): RouteDefinition[] {
  const metric =
    (withWorkflow: boolean, query: (sql: Sql, window: AnalyticsWindow) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const parsed: { days?: number; workflow?: string; version?: number; testRuns?: TestRuns } = parseQuery(
        req,
        withWorkflow ? { days, workflow: textParam(64), version, testRuns } : { days, testRuns },
      );
      const window: AnalyticsWindow = {
        days: parsed.days ?? ANALYTICS_DEFAULT_DAYS,
        testRuns: parsed.testRuns ?? "exclude",
        ...(parsed.workflow ? { workflow: parsed.workflow } : {}),
        ...(parsed.version ? { version: parsed.version } : {}),
      };
      res.json({ days: window.days, ...((await inTenant(db, res, (sql) => query(sql, window))) as object) });
    };

  return [
    {
      method: "get",
      path: "/analytics/runs",
      summary:
        "Runs started per day, by status now (?days=30, ?workflow=, ?version=, ?testRuns=exclude|include|only).",
      auth: "user",
      status: 200,
      handler: metric(true, runsPerDay),
    },
    {
      method: "get",
      path: "/analytics/resolution",
      summary:
        "Run outcomes (End node outcome; a run ever handed off is a handoff), rates and per day (?days=30, ?workflow=, ?version=, ?testRuns=exclude|include|only).",
      auth: "user",
      status: 200,
      handler: metric(true, resolution),
    },
    {
      method: "get",
      path: "/analytics/workflows",
      summary:
        "Run outcomes and rates per workflow and version (?days=30, ?workflow=, ?version=, ?testRuns=exclude|include|only).",
      auth: "user",
      status: 200,
      handler: metric(true, outcomesByWorkflow),
    },
    {
      method: "get",
      path: "/analytics/router",
      summary:
        "Router decisions per day by the tier that decided: local, embeddings or llm (?days=30, ?workflow=, ?version=, ?testRuns=exclude|include|only).",
      auth: "user",
      status: 200,
      handler: metric(true, routerTiers),
    },
    {
      method: "get",
      path: "/analytics/leads",
      summary:
        "Lead conversion: leads created in the window by status, conversion and win rate (?days=30, ?testRuns=exclude|include|only: of the run that captured each lead).",
      auth: "user",
      status: 200,
      handler: metric(false, leadConversion),
    },
    {
      method: "get",
      path: "/analytics/usage",
      summary:
        "Model tokens and cost per day from the steps that called a model, and savedUsd by local routing (?days=30, ?workflow=, ?version=, ?testRuns=exclude|include|only).",
      auth: "user",
      status: 200,
      handler: metric(true, usagePerDay),
    },
  ];
}
