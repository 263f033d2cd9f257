import { randomUUID } from "node:crypto";
import type { Database, Sql } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import { NO_TENANT } from "../store/nil-tenant";
import { isRole, type Role } from "../kit/roles";

/**
 * Accounts in SQL. `users` is reached only through the SECURITY DEFINER functions of 1000_accounts.sql;
 * memberships are ordinary tenant rows under RLS.
 */
export type TenantPlan = "free" | "pro" | "enterprise";

export interface NewAccount {
  readonly tenantName: string;
  readonly plan: TenantPlan;
  readonly email: string;
  readonly passwordHash: string;
}

export interface Membership {
  readonly tenantId: string;
  readonly role: Role;
}

export interface MemberProfile {
  readonly userId: string;
  readonly email: string;
  readonly createdAt: string;
}

/** A tenant, its first user and the owner membership, all in one transaction scoped to the new tenant. */
export async function registerAccount(
  db: Database,
  account: NewAccount,
): Promise<{ tenantId: string; userId: string }> {
  const tenantId = randomUUID();
  return db.transaction(
    async (sql) => {
      await sql.query("INSERT INTO tenants (id, name, plan) VALUES ($1, $2, $3)", [
        tenantId,
        account.tenantName,
        account.plan,
      ]);
      const { rows } = await sql.query<{ id: string | null }>("SELECT flowdeck_create_user($1, $2) AS id", [
        account.email,
        account.passwordHash,
      ]);
      const userId = rows[0]?.id;
      // Throwing rolls the tenant insert back with it.
      if (!userId) throw new ApiError("FD315", "An account with this email already exists.");
      await sql.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
        tenantId,
        userId,
      ]);
      return { tenantId, userId };
    },
    { tenantId },
  );
}

export async function findCredentials(
  db: Database,
  email: string,
): Promise<{ userId: string; passwordHash: string } | undefined> {
  return db.transaction(async (sql) => {
    const { rows } = await sql.query<{ user_id: string; password_hash: string }>(
      "SELECT user_id, password_hash FROM flowdeck_login_credentials($1)",
      [email],
    );
    const row = rows[0];
    return row ? { userId: row.user_id, passwordHash: row.password_hash } : undefined;
  }, NO_TENANT);
}

/** Every tenant the user belongs to, oldest membership first. */
export async function userMemberships(db: Database, userId: string): Promise<Membership[]> {
  return db.transaction(async (sql) => {
    const { rows } = await sql.query<{ tenant_id: string; role: string }>(
      "SELECT tenant_id, role FROM flowdeck_user_tenants($1)",
      [userId],
    );
    return rows.flatMap((row) => (isRole(row.role) ? [{ tenantId: row.tenant_id, role: row.role }] : []));
  }, NO_TENANT);
}

/** The caller's current role in the transaction's tenant, or undefined once the membership is gone. */
export async function memberRole(sql: Sql, userId: string): Promise<Role | undefined> {
  const { rows } = await sql.query<{ role: string }>("SELECT role FROM memberships WHERE user_id = $1", [
    userId,
  ]);
  const role = rows[0]?.role;
  return isRole(role) ? role : undefined;
}

export async function memberProfile(sql: Sql, userId: string): Promise<MemberProfile | undefined> {
  const { rows } = await sql.query<{ user_id: string; email: string; created_at: Date | string }>(
    "SELECT user_id, email, created_at FROM flowdeck_member_profile($1)",
    [userId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const createdAt = row.created_at instanceof Date ? row.created_at : new Date(row.created_at);
  return { userId: row.user_id, email: row.email, createdAt: createdAt.toISOString() };
}
