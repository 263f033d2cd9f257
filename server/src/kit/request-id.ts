import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

// A caller's id is kept only when it is short and plain, so it cannot inject anything into logs or headers.
const ACCEPTED_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Sets `res.locals.requestId` and the X-Request-Id response header. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const id = acceptedRequestId(req.get("x-request-id"));
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
}

/** The caller's X-Request-Id when it is short and plain, else a new one. */
export function acceptedRequestId(incoming: string | undefined): string {
  return incoming && ACCEPTED_ID.test(incoming) ? incoming : randomUUID();
}

export function getRequestId(res: Response): string {
  return typeof res.locals.requestId === "string" ? res.locals.requestId : "";
}
