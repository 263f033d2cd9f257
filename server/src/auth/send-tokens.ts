import type { Response } from "express";
import type { ServerConfig } from "../config/server-config";
import { signAccessToken } from "./access-token";
import type { Membership } from "./account-store";
import type { AuthContext } from "./auth-context";

/** The answer of every route that starts or continues a session; never cached by anything in between. */
export async function sendTokens(
  res: Response,
  config: ServerConfig,
  status: number,
  session: { auth: AuthContext; refreshToken: string; email?: string; memberships?: readonly Membership[] },
): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  res.status(status).json({
    tokenType: "Bearer",
    accessToken: await signAccessToken(config, session.auth),
    expiresInSeconds: config.accessTokenTtlSeconds,
    refreshToken: session.refreshToken,
    user: { id: session.auth.userId, ...(session.email ? { email: session.email } : {}) },
    tenant: { id: session.auth.tenantId, role: session.auth.role },
    ...(session.memberships
      ? { tenants: session.memberships.map((m) => ({ id: m.tenantId, role: m.role })) }
      : {}),
  });
}
