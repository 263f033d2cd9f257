import type { Sql } from "@flowdeck/runtime";
import type { ChannelRecord, ChannelView } from "./channel-types";

/** SQL for `channels` (migrations/1005_channels.sql). Every call runs inside the caller's tenant transaction. */

interface ChannelRow {
  tenant_id: string;
  id: string;
  kind: "web" | "webhook";
  name: string;
  workflow_id: string;
  pinned_version: number | null;
  allowed_origins: string[] | null;
  key_hash: string | null;
  secret_box: string | null;
  outbound_url: string | null;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = `tenant_id::text AS tenant_id, id::text AS id, kind, name, workflow_id::text AS workflow_id, pinned_version,
  allowed_origins, key_hash, secret_box, outbound_url, created_at, updated_at`;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

function toRecord(row: ChannelRow): ChannelRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    kind: row.kind,
    name: row.name,
    workflowId: row.workflow_id,
    pinnedVersion: row.pinned_version,
    allowedOrigins: row.allowed_origins ?? [],
    outboundUrl: row.outbound_url,
    keyHash: row.key_hash,
    secretBox: row.secret_box,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * What staff see of a channel. With `baseUrl` (the server's public base, which needs the request), a webhook
 * channel also carries its absolute `webhookUrl`: the editor cannot build it from its own origin behind
 * FLOWDECK_PUBLIC_URL or a proxy.
 */
export function toView(
  record: ChannelRecord,
  baseUrl?: string,
): ChannelView & { readonly webhookUrl?: string } {
  const { id, kind, name, workflowId, pinnedVersion, allowedOrigins, outboundUrl, createdAt, updatedAt } =
    record;
  return {
    id,
    kind,
    name,
    workflowId,
    pinnedVersion,
    allowedOrigins,
    outboundUrl,
    createdAt,
    updatedAt,
    ...(kind === "webhook" && baseUrl !== undefined ? { webhookUrl: `${baseUrl}/webhooks/${id}` } : {}),
  };
}

export interface NewChannel {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: "web" | "webhook";
  readonly name: string;
  readonly workflowId: string;
  readonly pinnedVersion: number | null;
  readonly allowedOrigins: readonly string[];
  readonly keyHash: string | null;
  readonly secretBox: string | null;
  readonly outboundUrl: string | null;
  readonly createdBy: string;
}

export async function insertChannel(sql: Sql, channel: NewChannel): Promise<ChannelRecord> {
  const { rows } = await sql.query<ChannelRow>(
    `INSERT INTO channels (tenant_id, id, kind, name, workflow_id, pinned_version, allowed_origins, key_hash, secret_box, outbound_url, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11) RETURNING ${COLUMNS}`,
    [
      channel.tenantId,
      channel.id,
      channel.kind,
      channel.name,
      channel.workflowId,
      channel.pinnedVersion,
      channel.allowedOrigins,
      channel.keyHash,
      channel.secretBox,
      channel.outboundUrl,
      channel.createdBy,
    ],
  );
  return toRecord(rows[0]!);
}

export async function listChannels(sql: Sql): Promise<ChannelRecord[]> {
  const { rows } = await sql.query<ChannelRow>(
    `SELECT ${COLUMNS} FROM channels WHERE disabled_at IS NULL ORDER BY created_at, id`,
  );
  return rows.map(toRecord);
}

export async function getChannel(sql: Sql, id: string): Promise<ChannelRecord | undefined> {
  const { rows } = await sql.query<ChannelRow>(
    `SELECT ${COLUMNS} FROM channels WHERE id::text = $1 AND disabled_at IS NULL`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * getChannel, holding the row until the transaction ends: a change reads its "before" here, so its audit row's
 * from/to cannot be overtaken by a concurrent change of the same channel.
 */
export async function lockChannel(sql: Sql, id: string): Promise<ChannelRecord | undefined> {
  const { rows } = await sql.query<ChannelRow>(
    `SELECT ${COLUMNS} FROM channels WHERE id::text = $1 AND disabled_at IS NULL FOR UPDATE`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * The live channel and the version of its workflow a message would run now: the pinned one, or the latest
 * published, of a workflow that is not deleted (null when there is none). One statement, for the hot path of
 * signed webhook calls.
 */
export async function getChannelAndVersion(
  sql: Sql,
  id: string,
): Promise<{ channel: ChannelRecord; version: number | null } | undefined> {
  const { rows } = await sql.query<ChannelRow & { effective_version: number | null }>(
    `SELECT ${COLUMNS},
            (SELECT v.version FROM workflow_versions v
               JOIN workflows w ON w.tenant_id = v.tenant_id AND w.id = v.workflow_id AND w.deleted_at IS NULL
              WHERE v.tenant_id = c.tenant_id AND v.workflow_id = c.workflow_id
                AND (c.pinned_version IS NULL OR v.version = c.pinned_version)
              ORDER BY v.version DESC LIMIT 1) AS effective_version
       FROM channels c WHERE c.id::text = $1 AND c.disabled_at IS NULL`,
    [id],
  );
  const row = rows[0];
  return row ? { channel: toRecord(row), version: row.effective_version } : undefined;
}

export interface ChannelChange {
  readonly name?: string;
  readonly pinnedVersion?: number | null;
  readonly allowedOrigins?: readonly string[];
  readonly outboundUrl?: string;
  readonly keyHash?: string;
  readonly secretBox?: string;
}

/** Applies the fields present in `change`; answers the updated channel, or undefined when it is gone. */
export async function updateChannel(
  sql: Sql,
  id: string,
  change: ChannelChange,
): Promise<ChannelRecord | undefined> {
  const { rows } = await sql.query<ChannelRow>(
    `UPDATE channels SET
        name = CASE WHEN $2 THEN $3 ELSE name END,
        pinned_version = CASE WHEN $4 THEN $5::int ELSE pinned_version END,
        allowed_origins = CASE WHEN $6 THEN $7::text[] ELSE allowed_origins END,
        outbound_url = CASE WHEN $8 THEN $9 ELSE outbound_url END,
        key_hash = coalesce($10, key_hash),
        secret_box = coalesce($11, secret_box),
        updated_at = now()
      WHERE id::text = $1 AND disabled_at IS NULL RETURNING ${COLUMNS}`,
    [
      id,
      change.name !== undefined,
      change.name ?? null,
      change.pinnedVersion !== undefined,
      change.pinnedVersion ?? null,
      change.allowedOrigins !== undefined,
      change.allowedOrigins ?? null,
      change.outboundUrl !== undefined,
      change.outboundUrl ?? null,
      change.keyHash ?? null,
      change.secretBox ?? null,
    ],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Answers what the audit row names (the channel's own id spelling, kind, name), or undefined when it is gone. */
export async function disableChannel(
  sql: Sql,
  id: string,
): Promise<Pick<ChannelRecord, "id" | "kind" | "name"> | undefined> {
  const { rows } = await sql.query<Pick<ChannelRow, "id" | "kind" | "name">>(
    `UPDATE channels SET disabled_at = now(), updated_at = now() WHERE id::text = $1 AND disabled_at IS NULL
     RETURNING id::text AS id, kind, name`,
    [id],
  );
  return rows[0];
}

/** The tenant of a live webhook channel, through the one SECURITY DEFINER door (no tenant is known yet). */
export async function webhookChannelTenant(sql: Sql, channelId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ tenant_id: string | null }>(
    "SELECT flowdeck_webhook_channel_tenant($1::uuid)::text AS tenant_id",
    [channelId],
  );
  return rows[0]?.tenant_id ?? undefined;
}

/** The workflow a channel names: live, with its trigger type and whether the pinned (or any) version exists. */
export async function channelWorkflow(
  sql: Sql,
  workflowId: string,
  version: number | null,
): Promise<{ exists: boolean; versionExists: boolean }> {
  const { rows } = await sql.query<{ live: boolean; version_exists: boolean }>(
    `SELECT true AS live, EXISTS (SELECT 1 FROM workflow_versions v WHERE v.tenant_id = w.tenant_id AND v.workflow_id = w.id
        AND ($2::int IS NULL OR v.version = $2::int)) AS version_exists
       FROM workflows w WHERE w.id::text = $1 AND w.deleted_at IS NULL`,
    [workflowId, version],
  );
  return { exists: rows.length > 0, versionExists: rows[0]?.version_exists ?? false };
}

/** A live workflow's id by id or name (the API accepts either). */
export async function resolveWorkflowRef(sql: Sql, ref: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ id: string }>(
    "SELECT id::text AS id FROM workflows WHERE (id::text = $1 OR name = $1) AND deleted_at IS NULL LIMIT 1",
    [ref],
  );
  return rows[0]?.id;
}
