import type { Database, Sql } from "@flowdeck/runtime";
import { isUuidText, mintOpaqueToken, parseOpaqueToken, secretMatches } from "../auth/opaque-token";
import { isRole, type Role } from "../kit/roles";
import { isApiKeyScope, type ApiKeyScope } from "./api-key-scopes";

/**
 * API keys: `fdk.<tenant id>.<key id>.<secret>` (opaque-token.ts), shown once; `Authorization: Bearer fdk.…` on
 * the API (api-key-auth.ts) with the key's scopes and role cap, until it expires or is revoked. `prefix` (the
 * secret's first 8 characters) identifies a key in lists without revealing it.
 */

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly scopes: readonly ApiKeyScope[];
  /** The strongest role the key acts with (route roles are checked against it). Never owner. */
  readonly role: Role;
  readonly expiresAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
  scopes: string[];
  role: string;
  expires_at: Date | string | null;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: iso(row.created_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    scopes: row.scopes.filter(isApiKeyScope),
    role: isRole(row.role) ? row.role : "viewer",
    expiresAt: iso(row.expires_at),
  };
}

const COLUMNS = "id, name, prefix, created_at, last_used_at, revoked_at, scopes, role, expires_at";

export async function createApiKey(
  sql: Sql,
  options: {
    tenantId: string;
    name: string;
    createdBy: string;
    scopes: readonly ApiKeyScope[];
    role: Role;
    expiresAt: string | null;
  },
): Promise<{ record: ApiKeyRecord; key: string }> {
  const minted = mintOpaqueToken("fdk", options.tenantId);
  const { rows } = await sql.query<ApiKeyRow>(
    `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, created_by, scopes, role, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::timestamptz) RETURNING ${COLUMNS}`,
    [
      options.tenantId,
      minted.id,
      options.name,
      minted.secret.slice(0, 8),
      minted.hash,
      options.createdBy,
      [...new Set(options.scopes)],
      options.role,
      options.expiresAt,
    ],
  );
  return { record: toRecord(rows[0]!), key: minted.token };
}

export async function listApiKeys(sql: Sql): Promise<ApiKeyRecord[]> {
  const { rows } = await sql.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
  return rows.map(toRecord);
}

/** True when a key of this tenant was revoked now or before; false when there is no such key here. */
export async function revokeApiKey(sql: Sql, id: string): Promise<boolean> {
  if (!isUuidText(id)) return false;
  const { rowCount } = await sql.query(
    "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1",
    [id],
  );
  return rowCount > 0;
}

/** For channels (issue 5): the key's tenant and id, or undefined for anything not a live key. */
export async function verifyApiKey(
  db: Database,
  key: string,
): Promise<{ tenantId: string; keyId: string } | undefined> {
  const parsed = parseOpaqueToken("fdk", key);
  if (!parsed) return undefined;
  const { tenantId, id, secret } = parsed;
  return db.transaction(
    async (sql) => {
      const { rows } = await sql.query<{ key_hash: string }>(
        "SELECT key_hash FROM api_keys WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
        [tenantId, id],
      );
      if (!rows[0] || !secretMatches(rows[0].key_hash, secret)) return undefined;
      await sql.query("UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2", [
        tenantId,
        id,
      ]);
      return { tenantId, keyId: id };
    },
    { tenantId },
  );
}
