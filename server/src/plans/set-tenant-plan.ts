import type { Database } from "@flowdeck/runtime";
import { isUuidText } from "../auth/opaque-token";
import { PLAN_NAMES, type PlanName } from "./plan-limits";

/** The plan every registration starts on. Only the operator moves a tenant off it (setTenantPlan). */
export const DEFAULT_PLAN: PlanName = "free";

export function isPlanName(value: unknown): value is PlanName {
  return typeof value === "string" && (PLAN_NAMES as readonly string[]).includes(value);
}

export class PlanChangeError extends Error {
  override readonly name = "PlanChangeError";
  constructor(
    readonly code: "FD360" | "FD361",
    message: string,
  ) {
    super(message);
  }
}

export interface PlanChange {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly from: string;
  readonly to: PlanName;
}

/**
 * The operator's plan change (`flowdeck tenant set-plan`): runs as the schema owner, because flowdeck_app may
 * not write `tenants.plan` at all (migration 1019 grants it UPDATE on `name` only), so no API request, whatever
 * its role or key, can change a plan. The change and its audit row (`tenant.set_plan`, actor null = the
 * operator, detail `{ plan: { from, to }, via }`) commit together. `tenant` is an id or an exact name.
 */
export async function setTenantPlan(
  db: Database,
  tenant: string,
  plan: string,
  via: "cli" | "test" = "cli",
): Promise<PlanChange> {
  if (!isPlanName(plan)) {
    throw new PlanChangeError("FD361", `Unknown plan "${plan}"; plans are ${PLAN_NAMES.join(", ")}.`);
  }
  return db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ id: string; name: string; plan: string }>(
      isUuidText(tenant)
        ? "SELECT id::text AS id, name, plan FROM tenants WHERE id = $1 FOR UPDATE"
        : "SELECT id::text AS id, name, plan FROM tenants WHERE name = $1 ORDER BY created_at FOR UPDATE",
      [tenant],
    );
    if (rows.length === 0) throw new PlanChangeError("FD360", `No tenant has the id or name "${tenant}".`);
    if (rows.length > 1) {
      const ids = rows.map((row) => row.id).join(", ");
      throw new PlanChangeError(
        "FD360",
        `${rows.length} tenants are named "${tenant}" (${ids}); give the id.`,
      );
    }
    const row = rows[0]!;
    await sql.query("UPDATE tenants SET plan = $2 WHERE id = $1", [row.id, plan]);
    await sql.query(
      `INSERT INTO audit_log (tenant_id, actor_id, actor_type, action, target_type, target_id, detail)
       VALUES ($1, NULL, 'system', 'tenant.set_plan', 'tenant', $2, $3::jsonb)`,
      [row.id, row.id, JSON.stringify({ plan: { from: row.plan, to: plan }, via, by: "operator" })],
    );
    return { tenantId: row.id, tenantName: row.name, from: row.plan, to: plan };
  });
}
