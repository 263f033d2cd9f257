import passport from "passport";
import type { Request } from "express";
import type { ServerConfig } from "../config/server-config";
import { verifyAccessToken } from "./access-token";
import type { AuthContext } from "./auth-context";
import type { MembershipCheck } from "./membership-check";

export const ACCESS_TOKEN_STRATEGY = "flowdeck-access-token";

// RFC 6750 token68 syntax; anything else (two tokens, spaces, a cookie pasted in) is refused before parsing.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * A passport strategy that verifies access tokens with jose (HS256 pinned, iss/aud/exp checked; see
 * access-token.ts) instead of passport-jwt, so there is one JWT library and one place where algorithms are
 * decided; then confirms the claim against the membership and session (membership-check.ts).
 */
export class AccessTokenStrategy extends passport.Strategy {
  override name = ACCESS_TOKEN_STRATEGY;
  // A plain property, not #private: passport calls authenticate on Object.create(strategy).
  readonly config: ServerConfig;
  readonly membership: MembershipCheck;

  constructor(config: ServerConfig, membership: MembershipCheck) {
    super();
    this.config = config;
    this.membership = membership;
  }

  override authenticate(req: Request): void {
    const match = BEARER.exec(req.get("authorization") ?? "");
    if (!match?.[1]) {
      this.fail("missing bearer token", 401);
      return;
    }
    authenticateAccessToken(this.config, this.membership, match[1]).then(
      (auth) => (auth ? this.success(auth) : this.fail("invalid token", 401)),
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/** A verified token whose user is still a member and whose session is live, with its effective role. */
export async function authenticateAccessToken(
  config: ServerConfig,
  membership: MembershipCheck,
  token: string,
): Promise<AuthContext | undefined> {
  const claim = await verifyAccessToken(config, token);
  return claim ? membership.confirm(claim) : undefined;
}
