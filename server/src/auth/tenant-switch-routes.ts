import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import type { ServerConfig } from "../config/server-config";
import { memberProfile, userMemberships } from "./account-store";
import { requireAuth, type AuthContext } from "./auth-context";
import { issueRefreshToken, revokeRefreshToken } from "./refresh-tokens";
import { sendTokens } from "./send-tokens";

export const SwitchTenantBody = Type.Object(
  {
    tenantId: Type.String({ format: "uuid" }),
    // The session being left. Revoked so one device holds one live session, not one per tenant visited.
    refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** A person in many tenants is an agency or a consultant; the list is short, but never unbounded. */
const MAX_LISTED_TENANTS = 200;

/**
 * Tenants for people who belong to several: list them with names, and move the session into another one.
 * Membership is re-read from the database on every call, so a removed membership cannot be switched into with
 * an access token that still names it.
 */
export function tenantSwitchRoutes({
  db,
  config,
}: {
  db: Database;
  config: ServerConfig;
}): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/auth/tenants",
      summary:
        "Every tenant the caller belongs to, with name, plan and role; `current` marks the token's tenant.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        const caller = requireAuth(res);
        const memberships = (await userMemberships(db, caller.userId)).slice(0, MAX_LISTED_TENANTS);
        // Each tenant row is readable only inside that tenant's RLS scope: one small transaction per tenant.
        const items = await Promise.all(
          memberships.map(async ({ tenantId, role }) => {
            const tenant = await db.transaction(
              async (sql) =>
                (
                  await sql.query<{ name: string; plan: string }>(
                    "SELECT name, plan FROM tenants WHERE id = $1",
                    [tenantId],
                  )
                ).rows[0],
              { tenantId },
            );
            return {
              id: tenantId,
              name: tenant?.name ?? "",
              plan: tenant?.plan ?? "free",
              role,
              current: tenantId === caller.tenantId,
            };
          }),
        );
        res.json({ items });
      },
    },
    {
      method: "post",
      path: "/auth/switch-tenant",
      summary: "Move the session into another of the caller's tenants: new access and refresh tokens there.",
      auth: "user",
      body: SwitchTenantBody,
      example: { tenantId: "00000000-0000-4000-8000-000000000000" },
      status: 200,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const body = req.body as Static<typeof SwitchTenantBody>;
        const memberships = await userMemberships(db, caller.userId);
        const target = memberships.find((m) => m.tenantId === body.tenantId);
        // Same answer as for a tenant that does not exist: membership elsewhere is not revealed.
        if (!target) throw new ApiError("FD322", "You are not a member of that tenant.");
        const { issued, email } = await db.transaction(
          async (sql) => ({
            issued: await issueRefreshToken(sql, {
              tenantId: target.tenantId,
              userId: caller.userId,
              ttlSeconds: config.refreshTokenTtlSeconds,
            }),
            email: (await memberProfile(sql, caller.userId))?.email,
          }),
          { tenantId: target.tenantId },
        );
        if (body.refreshToken) await revokeRefreshToken(db, body.refreshToken);
        const session: AuthContext = {
          userId: caller.userId,
          tenantId: target.tenantId,
          role: target.role,
          sessionId: issued.sessionId,
        };
        await sendTokens(res, config, 200, { auth: session, refreshToken: issued.token, email, memberships });
      },
    },
  ];
}
