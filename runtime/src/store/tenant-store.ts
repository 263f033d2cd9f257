import { randomUUID } from "node:crypto";
import type { Database } from "./database";
import { isoTimestamp, isUuid } from "./sql-values";

export type TenantPlan = "free" | "pro" | "enterprise";

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly plan: TenantPlan;
  /** ISO 8601 */
  readonly createdAt: string;
}

export interface NewTenant {
  readonly name: string;
  /** Default `free`. */
  readonly plan?: TenantPlan;
  /** Default: a random UUID. */
  readonly id?: string;
}

interface TenantRow {
  id: string;
  name: string;
  plan: TenantPlan;
  created_at: Date | string;
}

function toTenant(row: TenantRow): TenantRecord {
  return { id: row.id, name: row.name, plan: row.plan, createdAt: isoTimestamp(row.created_at) };
}

/**
 * Creates a tenant as the app role, in a transaction scoped to the new id: the policy's WITH CHECK admits
 * exactly that row, so registering a tenant needs no owner privileges.
 */
export async function createTenant(db: Database, tenant: NewTenant): Promise<TenantRecord> {
  const id = tenant.id ?? randomUUID();
  return db.transaction(
    async (sql) => {
      const { rows } = await sql.query<TenantRow>(
        "INSERT INTO tenants (id, name, plan) VALUES ($1, $2, $3) RETURNING id, name, plan, created_at",
        [id, tenant.name, tenant.plan ?? "free"],
      );
      return toTenant(rows[0]!);
    },
    { tenantId: id },
  );
}

/** The tenant, or undefined when it does not exist (or the id is not a UUID). */
export async function getTenant(db: Database, tenantId: string): Promise<TenantRecord | undefined> {
  if (!isUuid(tenantId)) return undefined;
  return db.transaction(
    async (sql) => {
      const { rows } = await sql.query<TenantRow>(
        "SELECT id, name, plan, created_at FROM tenants WHERE id = $1",
        [tenantId],
      );
      return rows[0] ? toTenant(rows[0]) : undefined;
    },
    { tenantId },
  );
}
