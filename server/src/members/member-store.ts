import type { Sql } from "@flowdeck/runtime";
import { isUuidText } from "../auth/opaque-token";
import { isRole, type Role } from "../kit/roles";

/** A member of the transaction's tenant, as the team page lists them. */
export interface MemberRecord {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly joinedAt: string;
}

interface MemberRow {
  user_id: string;
  email: string;
  role: string;
  joined_at: Date | string;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

/** Every member with their email (flowdeck_tenant_members, migration 1020), oldest membership first. */
export async function listMembers(sql: Sql): Promise<MemberRecord[]> {
  const { rows } = await sql.query<MemberRow>(
    "SELECT user_id::text AS user_id, email, role, joined_at FROM flowdeck_tenant_members()",
  );
  return rows.flatMap((row) =>
    isRole(row.role)
      ? [{ userId: row.user_id, email: row.email, role: row.role, joinedAt: iso(row.joined_at) }]
      : [],
  );
}

/**
 * The member's role, locked until the transaction ends, with the tenant's owners locked too: two requests that
 * each demote or remove one of two owners take turns, and the second sees that it would leave none.
 */
export async function lockMember(
  sql: Sql,
  userId: string,
): Promise<{ role: Role; owners: number } | undefined> {
  if (!isUuidText(userId)) return undefined;
  const { rows: owners } = await sql.query<{ user_id: string }>(
    "SELECT user_id::text AS user_id FROM memberships WHERE role = 'owner' ORDER BY user_id FOR UPDATE",
  );
  const { rows } = await sql.query<{ role: string }>(
    "SELECT role FROM memberships WHERE user_id = $1 FOR UPDATE",
    [userId],
  );
  const role = rows[0]?.role;
  return isRole(role) ? { role, owners: owners.length } : undefined;
}

export async function setMemberRole(sql: Sql, userId: string, role: Role): Promise<void> {
  await sql.query("UPDATE memberships SET role = $2 WHERE user_id = $1", [userId, role]);
}

/** Deletes the membership and ends the person's sessions in this tenant (its refresh families). */
export async function removeMember(sql: Sql, userId: string): Promise<void> {
  await sql.query("DELETE FROM memberships WHERE user_id = $1", [userId]);
  await sql.query("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [
    userId,
  ]);
}
