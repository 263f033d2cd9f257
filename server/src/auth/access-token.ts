import { SignJWT, jwtVerify } from "jose";
import type { ServerConfig } from "../config/server-config";
import { isRole } from "../kit/roles";
import type { AuthContext } from "./auth-context";
import { isUuidText } from "./opaque-token";

// One algorithm, pinned on both sides: verification refuses `none`, every other HMAC size and every
// asymmetric algorithm (the classic "RS256 public key used as HMAC secret" confusion).
const ALGORITHM = "HS256";
const CLOCK_TOLERANCE_SECONDS = 5;

type TokenConfig = Pick<ServerConfig, "jwtSecret" | "jwtIssuer" | "jwtAudience" | "accessTokenTtlSeconds">;

export async function signAccessToken(config: TokenConfig, auth: AuthContext): Promise<string> {
  return new SignJWT({ tid: auth.tenantId, role: auth.role, sid: auth.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(auth.userId)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + config.accessTokenTtlSeconds)
    .sign(config.jwtSecret);
}

/**
 * The caller as the token claims it, or undefined for any token that is not exactly what signAccessToken writes.
 * A valid signature proves only that the token was made with the secret: membership-check.ts confirms the
 * claims against the database before a request may use them.
 */
export async function verifyAccessToken(
  config: TokenConfig,
  token: string,
): Promise<AuthContext | undefined> {
  try {
    const { payload } = await jwtVerify(token, config.jwtSecret, {
      algorithms: [ALGORITHM],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      requiredClaims: ["sub", "exp", "iat"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const { sub, tid, role, sid } = payload;
    // UUIDs only: these reach SQL (and app.tenant_id), where anything else would be a cast error, not a 401.
    if (!isUuid(sub) || !isUuid(tid) || !isUuid(sid) || !isRole(role)) return undefined;
    return { userId: sub, tenantId: tid, role, sessionId: sid };
  } catch {
    return undefined;
  }
}

function isUuid(value: unknown): value is string {
  return typeof value === "string" && isUuidText(value);
}
