import type { Response } from "express";
import { ApiError } from "../kit/api-error";
import type { Role } from "../kit/roles";

/** Who is calling, from a verified access token. Kept in `res.locals.auth`. */
export interface AuthContext {
  readonly userId: string;
  readonly tenantId: string;
  readonly role: Role;
  /**
   * The session the token belongs to: its refresh-token family. Logout revokes the family, and every request
   * checks it is still live (membership-check.ts), so logging out ends the session's access tokens too.
   */
  readonly sessionId: string;
}

export function setAuth(res: Response, auth: AuthContext): void {
  res.locals.auth = auth;
}

/** The caller of an authenticated route; throws FD310 if a route forgot its `auth: "user"`. */
export function requireAuth(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw new ApiError("FD310", "Authentication required.");
  return auth;
}
