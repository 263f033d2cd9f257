import type { Database } from "@flowdeck/runtime";
import { parseOpaqueToken, secretMatches } from "../auth/opaque-token";
import { isRole } from "../kit/roles";
import type { AuthContext } from "../auth/auth-context";
import { isApiKeyScope } from "./api-key-scopes";

/** last_used_at is written at most this often per key (a busy integration must not write on every request). */
const LAST_USED_PRECISION_SECONDS = 60;
/** An `api_key.use` audit row at most this often per key: when a key is used, not every request it made. */
const AUDITED_USE_EVERY_SECONDS = 3600;

export type ApiKeyCheck =
  | { readonly kind: "ok"; readonly auth: AuthContext }
  | { readonly kind: "revoked"; readonly at: string }
  | { readonly kind: "expired"; readonly at: string }
  | { readonly kind: "invalid" };

interface KeyRow {
  key_hash: string;
  name: string;
  scopes: string[];
  role: string;
  revoked_at: Date | string | null;
  expires_at: Date | string | null;
  expired: boolean;
  touch: boolean;
  audit_use: boolean;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * A presented `fdk.` key, read from the database on every request (no cache), so a revocation or an expiry
 * applies to the very next request in every process. The secret is compared in constant time before anything is
 * written; then last_used_at (to the minute) and, once an hour per key, an `api_key.use` audit row naming the
 * route, both in the same transaction. A key acts as its tenant: `userId` is the key's id (what `created_by`
 * columns and audit rows record, with actor type `api_key`), its role is the key's cap.
 */
export async function checkApiKey(
  db: Database,
  token: string,
  use: { readonly method: string; readonly route: string; readonly requestId?: string },
): Promise<ApiKeyCheck> {
  const parsed = parseOpaqueToken("fdk", token);
  if (!parsed) return { kind: "invalid" };
  const { tenantId, id, secret } = parsed;
  return db.transaction(
    async (sql) => {
      const { rows } = await sql.query<KeyRow>(
        `SELECT key_hash, name, scopes, role, revoked_at, expires_at,
                expires_at IS NOT NULL AND expires_at <= now() AS expired,
                last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $3) AS touch,
                last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $4) AS audit_use
           FROM api_keys WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, LAST_USED_PRECISION_SECONDS, AUDITED_USE_EVERY_SECONDS],
      );
      const row = rows[0];
      if (!row || !secretMatches(row.key_hash, secret)) return { kind: "invalid" } as const;
      if (row.revoked_at !== null) return { kind: "revoked", at: iso(row.revoked_at) } as const;
      if (row.expired && row.expires_at !== null)
        return { kind: "expired", at: iso(row.expires_at) } as const;
      if (row.touch) {
        await sql.query("UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2", [
          tenantId,
          id,
        ]);
      }
      if (row.audit_use) {
        await sql.query(
          `INSERT INTO audit_log (tenant_id, actor_id, actor_type, action, target_type, target_id, detail, request_id)
           VALUES ($1, $2, 'api_key', 'api_key.use', 'api_key', $3, $4::jsonb, $5)`,
          [tenantId, id, id, JSON.stringify({ method: use.method, route: use.route }), use.requestId || null],
        );
      }
      const auth: AuthContext = {
        userId: id,
        tenantId,
        role: isRole(row.role) && row.role !== "owner" ? row.role : "viewer",
        sessionId: id,
        apiKey: { id, name: row.name, scopes: row.scopes.filter(isApiKeyScope) },
      };
      return { kind: "ok", auth } as const;
    },
    { tenantId },
  );
}
