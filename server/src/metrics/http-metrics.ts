import type { NextFunction, Request, Response } from "express";
import type { AppMetrics } from "./app-metrics";

// Node's HTTP parser accepts a few dozen methods; anything outside the usual ones shares one label value.
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The label for requests that matched no route (404s, path variants, scanners). */
export const UNMATCHED_ROUTE = "none";

/**
 * Counts and times every answer by method, route *pattern* and status. The pattern is the matched route's
 * path from the route table (`/workflows/:id`), read when the answer finishes; a raw URL would make one
 * time series per id and per scanner probe (unbounded cardinality), and would put ids into the metrics.
 */
export function httpMetrics(metrics: AppMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = process.hrtime.bigint();
    res.on("finish", () => {
      observeHttpAnswer(metrics, req.method, routePattern(req), res.statusCode, startedAt);
    });
    next();
  };
}

/** Counts and times one answer; `startedAt` is process.hrtime.bigint() when the request arrived. */
export function observeHttpAnswer(
  metrics: AppMetrics,
  method: string,
  route: string,
  status: number,
  startedAt: bigint,
): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const labels = { method: KNOWN_METHODS.has(method) ? method : "OTHER", route, status: String(status) };
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, seconds);
}

function routePattern(req: Request): string {
  // Express sets req.route when a route's path matched, before that route's first handler runs (auth
  // included), so a 401 on /workflows/:id is labelled with the pattern too. The route table is mounted at
  // the root, so the route's own path is the whole pattern.
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === "string" ? path : UNMATCHED_ROUTE;
}
