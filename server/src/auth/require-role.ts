import type { NextFunction, Request, Response } from "express";
import { ApiError } from "../kit/api-error";
import { requireAuth } from "./auth-context";
import { roleAtLeast, type Role } from "../kit/roles";

/** After requireUser: admits `required` and every stronger role, else 403 FD313. */
export function requireRole(required: Role) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const auth = requireAuth(res);
    if (!roleAtLeast(auth.role, required)) {
      next(new ApiError("FD313", `This needs the ${required} role or higher; you are ${auth.role}.`));
      return;
    }
    next();
  };
}
