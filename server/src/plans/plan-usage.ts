import type { Sql } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import { limitsOf, type PlanLimits } from "./plan-limits";

export interface TenantUsage {
  readonly runsThisMonth: number;
  readonly seats: number;
  readonly workflows: number;
}

/** The counter row that meters runs, one per UTC month: `runs:2026-11`. */
export const runCounterName = (at = new Date()) => `runs:${at.toISOString().slice(0, 7)}`;

/** The plan of the transaction's tenant (RLS shows only its own row). */
export async function tenantPlan(sql: Sql): Promise<{ plan: string; limits: PlanLimits }> {
  const { rows } = await sql.query<{ plan: string }>("SELECT plan FROM tenants");
  const plan = rows[0]?.plan ?? "free";
  return { plan, limits: limitsOf(plan) };
}

export async function tenantUsage(sql: Sql): Promise<TenantUsage> {
  const { rows } = await sql.query<{ runs: string | null; seats: string; workflows: string }>(
    `SELECT (SELECT value FROM tenant_counters WHERE name = $1) AS runs,
            (SELECT count(*) FROM memberships)
              + (SELECT count(*) FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS seats,
            (SELECT count(*) FROM workflows WHERE deleted_at IS NULL) AS workflows`,
    [runCounterName()],
  );
  const row = rows[0]!;
  return { runsThisMonth: Number(row.runs ?? 0), seats: Number(row.seats), workflows: Number(row.workflows) };
}

/** Refuses with 402 FD350 when creating one more of `what` would pass the plan's limit. */
export async function requireRoomFor(sql: Sql, what: "seats" | "workflows"): Promise<void> {
  const { limits, plan } = await tenantPlan(sql);
  const allowed = limits[what];
  if (allowed === null) return;
  const usage = await tenantUsage(sql);
  if (usage[what] >= allowed) {
    throw new ApiError(
      "FD350",
      `The ${plan} plan allows ${allowed} ${what}; this tenant has ${usage[what]}.`,
      {
        details: { limit: what, allowed, used: usage[what] },
      },
    );
  }
}
