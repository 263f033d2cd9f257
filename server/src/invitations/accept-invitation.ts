import { recordAudit } from "../audit/audit-store";
import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import type { ServerConfig } from "../config/server-config";
import { findCredentials, memberRole } from "../auth/account-store";
import type { AuthContext } from "../auth/auth-context";
import { loginThrottleKey, type LoginThrottle } from "../auth/login-throttle";
import { parseOpaqueToken } from "../auth/opaque-token";
import { hashPassword, verifyPassword } from "../auth/password";
import { issueRefreshToken } from "../auth/refresh-tokens";
import { findPendingInvitation, inviterStillEntitled, markInvitationAccepted } from "./invitation-store";

export const MIN_NEW_PASSWORD_LENGTH = 10;

function invalid(): ApiError {
  return new ApiError("FD316", "This invitation is not valid.");
}

/**
 * Accepting an invitation: a new email gets an account with the given password; an email that already has
 * one must prove it with that account's password (throttled like a login), so an invitation cannot be used to
 * take over someone's account. Password work happens before the write transaction, which then re-reads the
 * invitation under a row lock: two accepts take turns and the second finds it used.
 */
export async function acceptInvitation(
  deps: { db: Database; config: ServerConfig; throttle: LoginThrottle },
  input: { token: string; password: string; ip: string },
): Promise<{ auth: AuthContext; refreshToken: string; email: string }> {
  const parsed = parseOpaqueToken("fdi", input.token);
  if (!parsed) throw invalid();
  const scope = { tenantId: parsed.tenantId };
  const invitation = await deps.db.transaction(
    (sql) => findPendingInvitation(sql, parsed, { lock: false }),
    scope,
  );
  if (!invitation) throw invalid();

  const key = loginThrottleKey(invitation.email, input.ip);
  const waitSeconds = deps.throttle.retryAfterSeconds(key);
  if (waitSeconds > 0) {
    throw new ApiError("FD314", "Too many failed attempts for this email from this address.", {
      headers: { "Retry-After": String(waitSeconds) },
    });
  }
  const existing = await findCredentials(deps.db, invitation.email);
  let newPasswordHash: string | undefined;
  if (existing) {
    if (!(await verifyPassword(input.password, existing.passwordHash))) {
      deps.throttle.recordFailure(key);
      throw new ApiError("FD311", "This email already has an account: accept with that account's password.");
    }
  } else {
    if (input.password.length < MIN_NEW_PASSWORD_LENGTH) {
      throw new ApiError("FD300", `Password must be at least ${MIN_NEW_PASSWORD_LENGTH} characters.`, {
        details: { field: "/password", keyword: "minLength", params: { limit: MIN_NEW_PASSWORD_LENGTH } },
      });
    }
    newPasswordHash = await hashPassword(input.password, deps.config.bcryptCost);
  }

  return deps.db.transaction(async (sql) => {
    const locked = await findPendingInvitation(sql, parsed, { lock: true });
    if (!locked || !(await inviterStillEntitled(sql, locked))) throw invalid();
    let userId = existing?.userId;
    if (!userId) {
      const { rows } = await sql.query<{ id: string | null }>("SELECT flowdeck_create_user($1, $2) AS id", [
        locked.email,
        newPasswordHash,
      ]);
      // Someone registered this email between the checks: the caller retries and proves the password.
      userId = rows[0]?.id ?? undefined;
      if (!userId) throw new ApiError("FD315", "An account with this email was just created; accept again.");
    }
    // Already a member: the invitation is spent and the existing role stays.
    await sql.query(
      `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_id) DO NOTHING`,
      [parsed.tenantId, userId, locked.role],
    );
    await markInvitationAccepted(sql, locked.id);
    await recordAudit(sql, {
      actorId: userId,
      action: "member.join",
      targetType: "invitation",
      targetId: locked.id,
      detail: { role: locked.role },
    });
    const role = (await memberRole(sql, userId)) ?? locked.role;
    const issued = await issueRefreshToken(sql, {
      tenantId: parsed.tenantId,
      userId,
      ttlSeconds: deps.config.refreshTokenTtlSeconds,
    });
    deps.throttle.recordSuccess(key);
    return {
      auth: { userId, tenantId: parsed.tenantId, role, sessionId: issued.sessionId },
      refreshToken: issued.token,
      email: locked.email,
    };
  }, scope);
}
