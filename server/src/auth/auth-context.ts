import type { Response } from "express";
import { ApiError } from "../kit/api-error";
import type { Role } from "../kit/roles";
import type { ApiKeyScope } from "../api-keys/api-key-scopes";

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
  /**
   * Set when the caller is an API key (`Bearer fdk.…`, api-keys/api-key-auth.ts): then `userId` and `sessionId`
   * are the key's id, `role` is the key's cap, and each route also needs one of `scopes` (api-key-scopes.ts).
   */
  readonly apiKey?: { readonly id: string; readonly name: string; readonly scopes: readonly ApiKeyScope[] };
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
