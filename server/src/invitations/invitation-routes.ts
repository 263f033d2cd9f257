import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import type { ServerConfig } from "../config/server-config";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import type { LoginThrottle } from "../auth/login-throttle";
import { MAX_PASSWORD_BYTES } from "../auth/password";
import { roleAtLeast } from "../kit/roles";
import { sendTokens } from "../auth/send-tokens";
import { acceptInvitation } from "./accept-invitation";
import { requireRoomFor } from "../plans/plan-usage";
import { createInvitation, listInvitations, revokeInvitation } from "./invitation-store";

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ format: "email", minLength: 3, maxLength: 320 }),
    role: Type.Union([Type.Literal("admin"), Type.Literal("editor"), Type.Literal("viewer")]),
  },
  { additionalProperties: false },
);

export const AcceptInvitationBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
  },
  { additionalProperties: false },
);

interface InvitationRouteDeps {
  readonly db: Database;
  readonly config: ServerConfig;
  readonly throttle: LoginThrottle;
}

export function invitationRoutes({ db, config, throttle }: InvitationRouteDeps): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/invitations",
      summary: "List pending invitations.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (_req, res) => {
        const { tenantId } = requireAuth(res);
        res.json({ items: await db.transaction((sql) => listInvitations(sql), { tenantId }) });
      },
    },
    {
      method: "post",
      path: "/invitations",
      summary: "Invite an email with a role; the answer is the only time the token is shown.",
      auth: "user",
      role: "admin",
      body: CreateInvitationBody,
      example: { email: "agent@example.com", role: "editor" },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const body = req.body as Static<typeof CreateInvitationBody>;
        // Nobody hands out more than they hold: only owners create admins.
        if (body.role === "admin" && !roleAtLeast(caller.role, "owner")) {
          throw new ApiError("FD313", "Only an owner can invite an admin.");
        }
        const created = await db.transaction(
          async (sql) => {
            // A pending invitation holds a seat, so a plan's seats cannot be overbooked by inviting.
            await requireRoomFor(sql, "seats");
            const made = await createInvitation(sql, {
              tenantId: caller.tenantId,
              email: body.email.trim().toLowerCase(),
              role: body.role,
              invitedBy: caller.userId,
              ttlSeconds: config.invitationTtlSeconds,
            });
            // The role, not the email: the audit log stays free of personal data.
            await recordAudit(sql, {
              ...auditActor(res),
              action: "invitation.create",
              targetType: "invitation",
              targetId: made.record.id,
              detail: { role: body.role },
            });
            return made;
          },
          { tenantId: caller.tenantId },
        );
        res.setHeader("Cache-Control", "no-store");
        res.status(201).json({ ...created.record, token: created.token });
      },
    },
    {
      method: "delete",
      path: "/invitations/:id",
      resource: "invitations",
      summary: "Revoke a pending invitation. Another tenant's id answers 404.",
      auth: "user",
      role: "admin",
      status: 204,
      handler: async (req, res) => {
        const { tenantId } = requireAuth(res);
        const id = String(req.params.id);
        const revoked = await db.transaction(
          async (sql) => {
            const done = await revokeInvitation(sql, id);
            if (done)
              await recordAudit(sql, {
                ...auditActor(res),
                action: "invitation.revoke",
                targetType: "invitation",
                targetId: id.toLowerCase(),
              });
            return done;
          },
          { tenantId },
        );
        if (!revoked) {
          throw new ApiError("FD322", "No such pending invitation.");
        }
        res.status(204).end();
      },
    },
    {
      method: "post",
      path: "/invitations/accept",
      summary: "Accept an invitation: join the tenant (creating the account if the email has none).",
      auth: "public",
      body: AcceptInvitationBody,
      example: { token: "fdi.…", password: "a new password" },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof AcceptInvitationBody>;
        const accepted = await acceptInvitation(
          { db, config, throttle },
          { token: body.token, password: body.password, ip: req.ip ?? "" },
        );
        await sendTokens(res, config, 200, {
          auth: accepted.auth,
          refreshToken: accepted.refreshToken,
          email: accepted.email,
        });
      },
    },
  ];
}
