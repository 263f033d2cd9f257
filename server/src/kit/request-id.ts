import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

// A caller's id is kept only when it is short and plain, so it cannot inject anything into logs or headers.
const ACCEPTED_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Sets `res.locals.requestId` and the X-Request-Id response header. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get("x-request-id");
  const id = incoming && ACCEPTED_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
}

export function getRequestId(res: Response): string {
  return typeof res.locals.requestId === "string" ? res.locals.requestId : "";
}
