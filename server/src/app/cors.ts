import type { NextFunction, Request, Response } from "express";
import { ApiError } from "../kit/api-error";

const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
const ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, X-Request-Id";
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * An exact-match allow-list: a listed Origin gets CORS headers (no credentials: tokens travel in the
 * Authorization header, not cookies); an unlisted one gets none, and its preflight is refused with FD321.
 * Requests without Origin (curl, server-to-server) are not CORS and pass untouched.
 */
export function corsAllowList(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    res.vary("Origin");
    if (!origin) return next();
    const isPreflight = req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined;
    if (!allowed.has(origin)) {
      if (isPreflight) return next(new ApiError("FD321", `Origin ${origin} is not allowed.`));
      return next();
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Expose-Headers", "ETag, Retry-After, X-Request-Id");
    if (isPreflight) {
      res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      res.setHeader("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE_SECONDS));
      res.status(204).end();
      return;
    }
    next();
  };
}
