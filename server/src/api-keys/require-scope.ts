import type { NextFunction, Request, Response } from "express";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { routeScope } from "./api-key-scopes";

/**
 * After requireUser, before the role check: an API key needs the route's scope (403 FD317 naming the scope and
 * the route) and may not use people-only routes (403 FD318). Access tokens pass untouched.
 */
export function requireScope(route: Pick<RouteDefinition, "method" | "path">) {
  const needed = routeScope(route);
  const where = `${route.method.toUpperCase()} ${route.path}`;
  return (_req: Request, res: Response, next: NextFunction): void => {
    const { apiKey } = requireAuth(res);
    if (!apiKey) return next();
    if (needed === "session") {
      return next(new ApiError("FD318", `${where} is for signed-in people only; API keys cannot use it.`));
    }
    if (!apiKey.scopes.includes(needed)) {
      const has = apiKey.scopes.length > 0 ? apiKey.scopes.join(", ") : "none";
      return next(new ApiError("FD317", `${where} needs the API key scope ${needed}; this key has ${has}.`));
    }
    next();
  };
}
