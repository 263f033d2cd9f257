import type { Database } from "@flowdeck/runtime";
import type { Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import type { ServerConfig } from "../config/server-config";
import { memberProfile, memberRole, registerAccount } from "./account-store";
import { requireAuth, type AuthContext } from "./auth-context";
import { LoginBody, LogoutBody, RefreshBody, RegisterBody } from "./auth-schemas";
import type { AuthMiddleware } from "./passport-setup";
import { hashPassword, MAX_PASSWORD_BYTES } from "./password";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens";
import { sendTokens } from "./send-tokens";
import { recordAudit } from "../audit/audit-store";
import { getRequestId } from "../kit/request-id";
import { DEFAULT_PLAN } from "../plans/set-tenant-plan";

interface AuthRouteDeps {
  readonly db: Database;
  readonly config: ServerConfig;
  readonly auth: AuthMiddleware;
}

export function authRoutes({ db, config, auth }: AuthRouteDeps): RouteDefinition[] {
  return [
    {
      method: "post",
      path: "/auth/register",
      summary:
        "Create a tenant on the default plan, its first user and the owner membership. A `plan` or `role` field is refused (400 FD300).",
      auth: "public",
      body: RegisterBody,
      example: {
        tenantName: "Acme Outfitters",
        email: "owner@example.com",
        password: "correct horse battery",
      },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof RegisterBody>;
        if (Buffer.byteLength(body.password) > MAX_PASSWORD_BYTES) {
          // Bytes, not characters (bcrypt's limit): an accented or emoji password reaches it sooner.
          throw new ApiError(
            "FD300",
            `Password is too long: use at most ${MAX_PASSWORD_BYTES} bytes (plain letters count one each).`,
            {
              details: { field: "/password", keyword: "maxBytes", params: { limit: MAX_PASSWORD_BYTES } },
            },
          );
        }
        const email = body.email.trim().toLowerCase();
        const passwordHash = await hashPassword(body.password, config.bcryptCost);
        const { tenantId, userId } = await registerAccount(db, {
          tenantName: body.tenantName,
          plan: DEFAULT_PLAN,
          email,
          passwordHash,
        });
        const issued = await db.transaction(
          async (sql) => {
            const tokens = await issueRefreshToken(sql, {
              tenantId,
              userId,
              ttlSeconds: config.refreshTokenTtlSeconds,
            });
            await recordAudit(sql, {
              actorId: userId,
              action: "user.register",
              targetType: "user",
              targetId: userId,
              detail: { plan: DEFAULT_PLAN, role: "owner" },
              requestId: getRequestId(res),
            });
            return tokens;
          },
          { tenantId },
        );
        const session: AuthContext = { userId, tenantId, role: "owner", sessionId: issued.sessionId };
        await sendTokens(res, config, 201, {
          auth: session,
          refreshToken: issued.token,
          email,
          memberships: [{ tenantId, role: "owner" }],
        });
      },
    },
    {
      method: "post",
      path: "/auth/login",
      summary: "Log in with email and password (throttled); enters the user's oldest tenant.",
      auth: "public",
      body: LoginBody,
      example: { email: "owner@example.com", password: "correct horse battery" },
      status: 200,
      handler: async (req, res) => {
        const login = await auth.passwordLogin(req, res);
        const { tenantId } = login.membership;
        // The login is audited in the tenant it enters (failed logins have no tenant; the throttle counts them).
        const issued = await db.transaction(
          async (sql) => {
            const tokens = await issueRefreshToken(sql, {
              tenantId,
              userId: login.userId,
              ttlSeconds: config.refreshTokenTtlSeconds,
            });
            await recordAudit(sql, {
              actorId: login.userId,
              action: "user.login",
              targetType: "user",
              targetId: login.userId,
              requestId: getRequestId(res),
            });
            return tokens;
          },
          { tenantId },
        );
        const session: AuthContext = {
          userId: login.userId,
          ...login.membership,
          sessionId: issued.sessionId,
        };
        await sendTokens(res, config, 200, {
          auth: session,
          refreshToken: issued.token,
          email: login.email,
          memberships: login.memberships,
        });
      },
    },
    {
      method: "post",
      path: "/auth/refresh",
      summary: "Spend a refresh token for a new access token and the next refresh token.",
      auth: "public",
      body: RefreshBody,
      example: { refreshToken: "fdr.…" },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof RefreshBody>;
        const result = await rotateRefreshToken(db, body.refreshToken, config.refreshTokenTtlSeconds);
        if (result.kind === "reused") {
          throw new ApiError("FD312", "This refresh token was already used; the session has been revoked.");
        }
        if (result.kind === "invalid") throw new ApiError("FD312", "The refresh token is not valid.");
        await sendTokens(res, config, 200, { auth: result.auth, refreshToken: result.refreshToken });
      },
    },
    {
      method: "post",
      path: "/auth/logout",
      summary:
        "Revoke the refresh token's session, its access tokens included. Answers 204 whether or not the token was known.",
      auth: "public",
      body: LogoutBody,
      example: { refreshToken: "fdr.…" },
      status: 204,
      handler: async (req, res) => {
        const body = req.body as Static<typeof LogoutBody>;
        await revokeRefreshToken(db, body.refreshToken);
        res.status(204).end();
      },
    },
    {
      method: "get",
      path: "/auth/me",
      summary: "The caller: user, current tenant and role.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        const caller = requireAuth(res);
        const me = await db.transaction(
          async (sql) => {
            const profile = await memberProfile(sql, caller.userId);
            const role = await memberRole(sql, caller.userId);
            const { rows } = await sql.query<{ name: string; plan: string }>(
              "SELECT name, plan FROM tenants WHERE id = $1",
              [caller.tenantId],
            );
            return profile && role && rows[0] ? { profile, role, tenant: rows[0] } : undefined;
          },
          { tenantId: caller.tenantId },
        );
        // A token for a membership that no longer exists is as good as no token.
        if (!me) throw new ApiError("FD310", "This account is no longer a member of the tenant.");
        res.json({
          user: { id: me.profile.userId, email: me.profile.email, createdAt: me.profile.createdAt },
          tenant: { id: caller.tenantId, name: me.tenant.name, plan: me.tenant.plan, role: me.role },
        });
      },
    },
  ];
}
