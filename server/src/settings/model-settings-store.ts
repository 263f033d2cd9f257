import type { Database, Sql } from "@flowdeck/runtime";
import type { SecretBox } from "../channels/secret-box";
import { createRecentChanges } from "../store/recent-changes";

/** What the API shows: never the key, only its last 4 characters. */
export interface ModelSettingsView {
  readonly configured: boolean;
  readonly baseUrl: string | null;
  readonly apiKeyLast4: string | null;
  readonly defaultModel: string | null;
  readonly updatedAt: string | null;
}

/** What the run host needs: the opened key. Never logged, never answered. */
export interface TenantModelSecrets {
  readonly apiKey: string;
  readonly baseUrl: string | null;
  readonly defaultModel: string | null;
}

interface Row {
  base_url: string | null;
  api_key_box: string | null;
  api_key_last4: string | null;
  default_model: string | null;
  updated_at: unknown;
}

/** AAD of a tenant's sealed model key: the row it belongs to, so a box copied to another tenant does not open. */
export const modelKeyAad = (tenantId: string) => `model-settings:${tenantId}`;

const changes = createRecentChanges();
export const noteModelSettingsChanged = (tenantId: string) => changes.note(tenantId);
export const modelSettingsChangedSince = (tenantId: string, sinceMs: number) =>
  changes.since(tenantId, sinceMs);

async function readRow(sql: Sql): Promise<Row | undefined> {
  const { rows } = await sql.query<Row>(
    "SELECT base_url, api_key_box, api_key_last4, default_model, updated_at FROM tenant_model_settings",
  );
  return rows[0];
}

export async function readModelSettings(sql: Sql): Promise<ModelSettingsView> {
  const row = await readRow(sql);
  if (!row)
    return { configured: false, baseUrl: null, apiKeyLast4: null, defaultModel: null, updatedAt: null };
  return {
    configured: row.api_key_box !== null,
    baseUrl: row.base_url,
    apiKeyLast4: row.api_key_last4,
    defaultModel: row.default_model,
    updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : String(row.updated_at),
  };
}

/** The opened key and its base URL, or undefined when the tenant has no key of its own. */
export async function loadModelSecrets(
  db: Database,
  box: SecretBox,
  tenantId: string,
): Promise<TenantModelSecrets | undefined> {
  const row = await db.transaction(readRow, { tenantId });
  if (!row?.api_key_box) return undefined;
  return {
    apiKey: box.open(row.api_key_box, modelKeyAad(tenantId)),
    baseUrl: row.base_url,
    defaultModel: row.default_model,
  };
}

export interface ModelSettingsWrite {
  readonly tenantId: string;
  readonly userId: string;
  /** undefined: keep the stored key; null: remove it. */
  readonly apiKeyBox: string | null | undefined;
  readonly apiKeyLast4: string | null | undefined;
  readonly baseUrl: string | null;
  readonly defaultModel: string | null;
}

export async function writeModelSettings(sql: Sql, write: ModelSettingsWrite): Promise<void> {
  const keep = write.apiKeyBox === undefined;
  await sql.query(
    `INSERT INTO tenant_model_settings (tenant_id, base_url, api_key_box, api_key_last4, default_model, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, now(), $6)
     ON CONFLICT (tenant_id) DO UPDATE SET
       base_url = excluded.base_url,
       api_key_box = CASE WHEN $7 THEN tenant_model_settings.api_key_box ELSE excluded.api_key_box END,
       api_key_last4 = CASE WHEN $7 THEN tenant_model_settings.api_key_last4 ELSE excluded.api_key_last4 END,
       default_model = excluded.default_model, updated_at = now(), updated_by = $6`,
    [
      write.tenantId,
      write.baseUrl,
      write.apiKeyBox ?? null,
      write.apiKeyLast4 ?? null,
      write.defaultModel,
      write.userId,
      keep,
    ],
  );
}

/** The sealed key as stored (a connection test without a new key uses it). */
export async function readSealedKey(sql: Sql): Promise<string | null> {
  return (await readRow(sql))?.api_key_box ?? null;
}
