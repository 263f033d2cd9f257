import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../kit/logger";
import { getRequestId } from "../kit/request-id";

/**
 * One log line per finished request. Only the path is logged, never the query string, headers or body:
 * those are where tokens and passwords travel.
 */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = process.hrtime.bigint();
    res.on("finish", () => {
      logRequest(log, {
        requestId: getRequestId(res),
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        startedAt,
        tenantId: res.locals.auth?.tenantId as string | undefined,
      });
    });
    next();
  };
}

/** The request line, from whichever HTTP layer answered (this middleware, or app/webhook-fast-path.ts). */
export function logRequest(
  log: Logger,
  answered: {
    requestId: string;
    method: string;
    url: string;
    status: number;
    /** process.hrtime.bigint() when the request arrived. */
    startedAt: bigint;
    tenantId: string | undefined;
  },
): void {
  const durationMs = Number(process.hrtime.bigint() - answered.startedAt) / 1e6;
  const path = answered.url.split("?")[0] ?? "";
  const fields = {
    requestId: answered.requestId,
    method: answered.method,
    path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
    status: answered.status,
    durationMs: Math.round(durationMs * 100) / 100,
    tenantId: answered.tenantId,
  };
  if (answered.status >= 500) log.error("request", fields);
  else log.info("request", fields);
}
