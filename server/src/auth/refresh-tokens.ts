import { randomUUID } from "node:crypto";
import type { Database, Sql } from "@flowdeck/runtime";
import { memberRole } from "./account-store";
import type { AuthContext } from "./auth-context";
import { noteSessionEnded } from "./membership-changes";
import { mintOpaqueToken, parseOpaqueToken, secretMatches, type ParsedOpaqueToken } from "./opaque-token";

/** Rotating refresh tokens, `fdr.<tenant>.<id>.<secret>` (see opaque-token.ts). */
export function parseRefreshToken(token: string): ParsedOpaqueToken | undefined {
  return parseOpaqueToken("fdr", token);
}

export interface IssuedRefreshToken {
  readonly token: string;
  /** The family: the session id that access tokens carry (`sid`). */
  readonly sessionId: string;
}

/** Inside the tenant's transaction: a new token, in `familyId` or a new family (a login). */
export async function issueRefreshToken(
  sql: Sql,
  options: { tenantId: string; userId: string; ttlSeconds: number; familyId?: string },
): Promise<IssuedRefreshToken> {
  const minted = mintOpaqueToken("fdr", options.tenantId);
  const sessionId = options.familyId ?? randomUUID();
  await sql.query(
    `INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
    [options.tenantId, minted.id, sessionId, options.userId, minted.hash, options.ttlSeconds],
  );
  return { token: minted.token, sessionId };
}

export type RotateResult =
  | { readonly kind: "rotated"; readonly auth: AuthContext; readonly refreshToken: string }
  | { readonly kind: "invalid" }
  | { readonly kind: "reused"; readonly sessionId: string };

interface TokenRow {
  user_id: string;
  family_id: string;
  token_hash: string;
  revoked: boolean;
  expired: boolean;
}

async function lockToken(sql: Sql, parsed: ParsedOpaqueToken): Promise<TokenRow | undefined> {
  // FOR UPDATE: two refreshes with the same token take turns, so the second sees it revoked (reuse).
  const { rows } = await sql.query<TokenRow>(
    `SELECT user_id, family_id, token_hash, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
       FROM refresh_tokens WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [parsed.tenantId, parsed.id],
  );
  const row = rows[0];
  return row && secretMatches(row.token_hash, parsed.secret) ? row : undefined;
}

async function revokeFamily(sql: Sql, tenantId: string, familyId: string): Promise<void> {
  await sql.query(
    "UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = $1 AND family_id = $2 AND revoked_at IS NULL",
    [tenantId, familyId],
  );
}

/**
 * Spends a refresh token: revokes it and issues the next in its family, with the member's current role. A
 * token that was already spent means it leaked (or a client raced itself): the whole family is revoked, and
 * the answer commits so the revocation sticks.
 */
export async function rotateRefreshToken(
  db: Database,
  token: string,
  ttlSeconds: number,
): Promise<RotateResult> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return { kind: "invalid" };
  const result = await db.transaction(
    async (sql): Promise<RotateResult> => {
      const row = await lockToken(sql, parsed);
      if (!row) return { kind: "invalid" };
      if (row.revoked) {
        await revokeFamily(sql, parsed.tenantId, row.family_id);
        return { kind: "reused", sessionId: row.family_id };
      }
      if (row.expired) return { kind: "invalid" };
      await sql.query("UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = $1 AND id = $2", [
        parsed.tenantId,
        parsed.id,
      ]);
      const role = await memberRole(sql, row.user_id);
      if (!role) {
        await revokeFamily(sql, parsed.tenantId, row.family_id);
        return { kind: "invalid" };
      }
      const next = await issueRefreshToken(sql, {
        tenantId: parsed.tenantId,
        userId: row.user_id,
        familyId: row.family_id,
        ttlSeconds,
      });
      return {
        kind: "rotated",
        auth: { userId: row.user_id, tenantId: parsed.tenantId, role, sessionId: next.sessionId },
        refreshToken: next.token,
      };
    },
    { tenantId: parsed.tenantId },
  );
  // After COMMIT: a request that read the family before this cannot cache it as live past this moment.
  if (result.kind === "reused") noteSessionEnded(parsed.tenantId, result.sessionId);
  return result;
}

/**
 * Logout: revokes the token's whole family (this device's session), which also ends the session's access
 * tokens (membership-check.ts). Unknown tokens are ignored.
 */
export async function revokeRefreshToken(db: Database, token: string): Promise<boolean> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return false;
  const familyId = await db.transaction(
    async (sql) => {
      const row = await lockToken(sql, parsed);
      if (!row) return undefined;
      await revokeFamily(sql, parsed.tenantId, row.family_id);
      return row.family_id;
    },
    { tenantId: parsed.tenantId },
  );
  if (familyId === undefined) return false;
  noteSessionEnded(parsed.tenantId, familyId);
  return true;
}
