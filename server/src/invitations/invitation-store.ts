import type { Sql } from "@flowdeck/runtime";
import { isUuidText, mintOpaqueToken, secretMatches, type ParsedOpaqueToken } from "../auth/opaque-token";
import { isRole, roleAtLeast, type Role } from "../kit/roles";

/** Invitations: `fdi.<tenant>.<id>.<secret>` (opaque-token.ts), shown once to the inviting admin. */
export type InvitedRole = Exclude<Role, "owner">;

export interface InvitationRecord {
  readonly id: string;
  readonly email: string;
  readonly role: InvitedRole;
  readonly createdAt: string;
  readonly expiresAt: string;
}

interface InvitationRow {
  id: string;
  email: string;
  role: InvitedRole;
  created_at: Date | string;
  expires_at: Date | string;
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toRecord(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  };
}

const COLUMNS = "id, email, role, created_at, expires_at";
const PENDING = "accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()";

export async function createInvitation(
  sql: Sql,
  options: { tenantId: string; email: string; role: InvitedRole; invitedBy: string; ttlSeconds: number },
): Promise<{ record: InvitationRecord; token: string }> {
  const minted = mintOpaqueToken("fdi", options.tenantId);
  const { rows } = await sql.query<InvitationRow>(
    `INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING ${COLUMNS}`,
    [
      options.tenantId,
      minted.id,
      options.email,
      options.role,
      minted.hash,
      options.invitedBy,
      options.ttlSeconds,
    ],
  );
  return { record: toRecord(rows[0]!), token: minted.token };
}

/** Pending invitations only: accepted, revoked and expired ones are history. */
export async function listInvitations(sql: Sql): Promise<InvitationRecord[]> {
  const { rows } = await sql.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE ${PENDING} ORDER BY created_at, id`,
  );
  return rows.map(toRecord);
}

export async function revokeInvitation(sql: Sql, id: string): Promise<boolean> {
  if (!isUuidText(id)) return false;
  const { rowCount } = await sql.query(
    `UPDATE invitations SET revoked_at = now() WHERE id = $1 AND ${PENDING}`,
    [id],
  );
  return rowCount > 0;
}

/**
 * The pending invitation a token names, or undefined. With `lock`, the row stays locked until the transaction
 * ends, so two accepts of one invitation take turns and the second finds it used.
 */
export async function findPendingInvitation(
  sql: Sql,
  token: ParsedOpaqueToken,
  options: { lock: boolean },
): Promise<InvitationRecord | undefined> {
  const { rows } = await sql.query<InvitationRow & { token_hash: string }>(
    `SELECT ${COLUMNS}, token_hash FROM invitations WHERE tenant_id = $1 AND id = $2 AND ${PENDING}
     ${options.lock ? "FOR UPDATE" : ""}`,
    [token.tenantId, token.id],
  );
  const row = rows[0];
  return row && secretMatches(row.token_hash, token.secret) ? toRecord(row) : undefined;
}

export async function markInvitationAccepted(sql: Sql, id: string): Promise<void> {
  await sql.query("UPDATE invitations SET accepted_at = now() WHERE id = $1", [id]);
}

/**
 * Whether the person who made the invitation may still make it: a member now, admin or higher, and an owner for
 * an admin invitation. An invitation outlives its creator's session and a signing-secret rotation, so it is
 * only as good as the inviter's standing at the moment it is accepted.
 */
export async function inviterStillEntitled(sql: Sql, invitation: InvitationRecord): Promise<boolean> {
  const { rows } = await sql.query<{ role: string }>(
    `SELECT m.role FROM invitations i
       JOIN memberships m ON m.tenant_id = i.tenant_id AND m.user_id = i.invited_by WHERE i.id = $1`,
    [invitation.id],
  );
  const role = rows[0]?.role;
  if (!isRole(role)) return false;
  return roleAtLeast(role, invitation.role === "admin" ? "owner" : "admin");
}
