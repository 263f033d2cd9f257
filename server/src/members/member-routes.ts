import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { ROLES } from "../kit/roles";
import { requireAuth } from "../auth/auth-context";
import { noteMemberChanged } from "../auth/membership-changes";
import { auditActor, recordAudit } from "../audit/audit-store";
import { checkMemberChange } from "./member-rules";
import { listMembers, lockMember, removeMember, setMemberRole } from "./member-store";

export const ChangeMemberBody = Type.Object(
  { role: Type.Union(ROLES.map((role) => Type.Literal(role))) },
  { additionalProperties: false },
);

/**
 * The team: every member lists it; owners and admins change roles and remove people (member-rules.ts), each
 * change audited in its transaction. After the commit `noteMemberChanged` ends this process's trust in the
 * person's cached membership at once, so a demotion or removal applies to their very next request here (other
 * API processes: within membershipCheckTtlMs).
 */
export function memberRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/members",
      summary: "The workspace's members: user id, email, role and when they joined, oldest first.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        const { tenantId } = requireAuth(res);
        res.json({ items: await db.transaction((sql) => listMembers(sql), { tenantId }) });
      },
    },
    {
      method: "patch",
      path: "/members/:id",
      resource: "memberships",
      summary:
        "Change a member's role (the id is their user id). Owners change anyone; admins change editors and viewers; the last owner stays (409 FD356).",
      auth: "user",
      role: "admin",
      body: ChangeMemberBody,
      example: { role: "viewer" },
      status: 200,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const userId = String(req.params.id).toLowerCase();
        const { role } = req.body as Static<typeof ChangeMemberBody>;
        const from = await db.transaction(
          async (sql) => {
            const target = await lockMember(sql, userId);
            if (!target) throw new ApiError("FD322", `No member with user id ${userId} in this workspace.`);
            checkMemberChange({
              caller,
              target: { userId, role: target.role },
              change: role,
              owners: target.owners,
            });
            if (target.role !== role) {
              await setMemberRole(sql, userId, role);
              await recordAudit(sql, {
                ...auditActor(res),
                action: "member.role_change",
                targetType: "user",
                targetId: userId,
                detail: { role: { from: target.role, to: role } },
              });
            }
            return target.role;
          },
          { tenantId: caller.tenantId },
        );
        if (from !== role) noteMemberChanged(caller.tenantId, userId);
        res.json({ userId, role, previousRole: from });
      },
    },
    {
      method: "delete",
      path: "/members/:id",
      resource: "memberships",
      summary:
        "Remove a member (the id is their user id) and end their sessions here. Owners remove anyone, admins editors and viewers, anyone themselves; never the last owner.",
      auth: "user",
      status: 204,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const userId = String(req.params.id).toLowerCase();
        await db.transaction(
          async (sql) => {
            const target = await lockMember(sql, userId);
            if (!target) throw new ApiError("FD322", `No member with user id ${userId} in this workspace.`);
            checkMemberChange({
              caller,
              target: { userId, role: target.role },
              change: "remove",
              owners: target.owners,
            });
            await removeMember(sql, userId);
            await recordAudit(sql, {
              ...auditActor(res),
              action: "member.remove",
              targetType: "user",
              targetId: userId,
              detail: { role: target.role, ...(userId === caller.userId ? { left: true } : {}) },
            });
          },
          { tenantId: caller.tenantId },
        );
        noteMemberChanged(caller.tenantId, userId);
        res.status(204).end();
      },
    },
  ];
}
