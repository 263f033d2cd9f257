import type { Database, Sql } from "@flowdeck/runtime";
import { createRecentChanges } from "../store/recent-changes";

export interface TenantAllowList {
  readonly entries: readonly string[];
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

const changes = createRecentChanges();

/** A change made in this process reaches its HTTP clients at once; other processes see it within their TTL. */
export function noteAllowListChanged(tenantId: string): void {
  changes.note(tenantId);
}

export function allowListChangedSince(tenantId: string, sinceMs: number): boolean {
  return changes.since(tenantId, sinceMs);
}

/** The tenant's list (empty when it never set one), in the caller's tenant transaction. */
export async function readAllowList(sql: Sql): Promise<TenantAllowList> {
  const { rows } = await sql.query<{ entries: string[]; updated_at: unknown; updated_by: string | null }>(
    "SELECT entries, updated_at, updated_by::text AS updated_by FROM tenant_http_allow_lists",
  );
  const row = rows[0];
  if (!row) return { entries: [], updatedAt: null, updatedBy: null };
  const at = row.updated_at instanceof Date ? row.updated_at.toISOString() : String(row.updated_at);
  return { entries: row.entries, updatedAt: at, updatedBy: row.updated_by };
}

/** Replaces the tenant's list (the transaction's tenant: RLS files the row under no other). */
export async function writeAllowList(sql: Sql, entries: readonly string[], userId: string): Promise<void> {
  await sql.query(
    `INSERT INTO tenant_http_allow_lists (tenant_id, entries, updated_at, updated_by)
     VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, $1::text[], now(), $2)
     ON CONFLICT (tenant_id) DO UPDATE SET entries = excluded.entries, updated_at = now(), updated_by = $2`,
    [entries, userId],
  );
}

/** The entries alone, in a tenant transaction of its own (what the HTTP clients read). */
export async function loadAllowListEntries(db: Database, tenantId: string): Promise<readonly string[]> {
  return (await db.transaction(readAllowList, { tenantId })).entries;
}
