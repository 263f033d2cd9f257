import type { CredentialVault } from "@flowdeck/node-library/runtime";
import type { Database, Sql } from "@flowdeck/runtime";
import type { SecretBox } from "../channels/secret-box";

export interface CredentialSummary {
  readonly id: string;
  readonly name: string;
  /** The value's last four characters, so an admin can tell which token is stored. */
  readonly last4: string;
  readonly updatedAt: string;
}

/** Associated data of a sealed value: a box copied to another tenant's row or name does not open. */
const aadOf = (tenantId: string, name: string) => `credential:${tenantId}:${name}`;
const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

export async function listCredentials(sql: Sql): Promise<CredentialSummary[]> {
  const { rows } = await sql.query<{ id: string; name: string; last4: string; updated_at: unknown }>(
    "SELECT id::text AS id, name, last4, updated_at FROM tenant_credentials ORDER BY name",
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    last4: row.last4,
    updatedAt: isoOf(row.updated_at),
  }));
}

/** Stores or replaces a credential by name: its id, and whether it replaced one. */
export async function putCredential(
  sql: Sql,
  box: SecretBox,
  entry: { tenantId: string; name: string; value: string; userId: string },
): Promise<{ id: string; replaced: boolean }> {
  const sealed = box.seal(entry.value, aadOf(entry.tenantId, entry.name));
  const { rows } = await sql.query<{ id: string; replaced: boolean }>(
    `INSERT INTO tenant_credentials (tenant_id, name, sealed, last4, updated_by)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, name) DO UPDATE
       SET sealed = excluded.sealed, last4 = excluded.last4, updated_by = excluded.updated_by, updated_at = now()
     RETURNING id::text AS id, (xmax <> 0) AS replaced`,
    [entry.tenantId, entry.name, sealed, entry.value.slice(-4), entry.userId],
  );
  return { id: rows[0]!.id, replaced: rows[0]!.replaced === true };
}

/** Deletes a credential by id; its name, or undefined when this tenant has no such row. */
export async function deleteCredential(sql: Sql, id: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ name: string }>(
    "DELETE FROM tenant_credentials WHERE id::text = $1 RETURNING name",
    [id],
  );
  return rows[0]?.name;
}

/**
 * What a step's `ctx.credentials` is: one read per use, in the tenant's own transaction (RLS), opened only
 * for the request that sends it. No cache: a revoked token must stop being sent at once.
 */
export function credentialVaults(db: Database, box: SecretBox): (tenantId: string) => CredentialVault {
  return (tenantId) => ({
    async get(name) {
      const { rows } = await db.statement<{ sealed: string }>(
        "SELECT sealed FROM tenant_credentials WHERE name = $1",
        [name],
        { tenantId },
      );
      const sealed = rows[0]?.sealed;
      return sealed === undefined ? undefined : box.open(sealed, aadOf(tenantId, name));
    },
  });
}
