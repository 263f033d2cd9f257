import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import type { RouteDefinition } from "../kit/route-table";
import { auditActor, recordAudit } from "../audit/audit-store";
import { requireAuth } from "../auth/auth-context";
import { tenantPlan, tenantUsage } from "./plan-usage";

export const UpdateTenantBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/**
 * The caller's tenant: its plan, the plan's limits and what is used of them. Owners rename it; the plan is the
 * operator's (`flowdeck tenant set-plan`), so `plan` in the body is refused 400 FD300 like any unknown field.
 */
export function tenantRoutes(db: Database): RouteDefinition[] {
  const current = (tenantId: string) =>
    db.transaction(
      async (sql) => {
        const { rows } = await sql.query<{ name: string; created_at: unknown }>(
          "SELECT name, created_at FROM tenants",
        );
        const { plan, limits } = await tenantPlan(sql);
        const usage = await tenantUsage(sql);
        const created = rows[0]?.created_at;
        return {
          id: tenantId,
          name: rows[0]?.name ?? "",
          createdAt: created instanceof Date ? created.toISOString() : String(created),
          plan,
          limits,
          usage,
        };
      },
      { tenantId },
    );

  return [
    {
      method: "get",
      path: "/tenants/current",
      summary:
        "The caller's tenant: plan, limits (null = unlimited) and usage (runs this month, seats, workflows).",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        res.json(await current(requireAuth(res).tenantId));
      },
    },
    {
      method: "patch",
      path: "/tenants/current",
      summary:
        "Rename the tenant (owner only). Plans are changed by the operator (flowdeck tenant set-plan), never here.",
      auth: "user",
      role: "owner",
      body: UpdateTenantBody,
      example: { name: "Acme Outfitters" },
      status: 200,
      handler: async (req, res) => {
        const { tenantId } = requireAuth(res);
        const body = req.body as Static<typeof UpdateTenantBody>;
        await db.transaction(
          async (sql) => {
            await sql.query("UPDATE tenants SET name = coalesce($1, name)", [body.name ?? null]);
            await recordAudit(sql, {
              ...auditActor(res),
              action: "tenant.update",
              targetType: "tenant",
              targetId: tenantId,
              detail: { fields: Object.keys(body) },
            });
          },
          { tenantId },
        );
        res.json(await current(tenantId));
      },
    },
  ];
}
