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
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const path = req.originalUrl.split("?")[0] ?? "";
      const fields = {
        requestId: getRequestId(res),
        method: req.method,
        path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
        tenantId: res.locals.auth?.tenantId,
      };
      if (res.statusCode >= 500) log.error("request", fields);
      else log.info("request", fields);
    });
    next();
  };
}
