import type { Sql } from "@flowdeck/runtime";

export interface WorkflowSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly latestVersion: number | null;
  /** The draft's text differs from the latest published version's (false when nothing is published yet). */
  readonly draftChanged: boolean;
  readonly updatedAt: string;
}

export interface WorkflowDraft extends WorkflowSummary {
  readonly yaml: string;
}

export interface VersionRecord {
  readonly version: number;
  readonly note: string;
  readonly authorId: string | null;
  readonly createdAt: string;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

// draft_changed compares text, byte for byte, as versions are stored: a layout move is an unpublished change too.
const SUMMARY = `w.id::text AS id, w.name, w.draft_revision AS revision, w.updated_at, latest.version AS latest_version,
  coalesce(latest.yaml IS DISTINCT FROM w.draft_yaml, false) AND latest.version IS NOT NULL AS draft_changed`;
const LATEST = `LEFT JOIN LATERAL (SELECT v.version, v.yaml FROM workflow_versions v
  WHERE v.tenant_id = w.tenant_id AND v.workflow_id = w.id ORDER BY v.version DESC LIMIT 1) latest ON true`;

interface SummaryRow {
  id: string;
  name: string;
  revision: number;
  updated_at: unknown;
  latest_version: number | null;
  draft_changed: boolean;
  draft_yaml?: string;
}

function toSummary(row: SummaryRow): WorkflowSummary {
  return { id: row.id, name: row.name, revision: row.revision, latestVersion: row.latest_version, draftChanged: row.draft_changed === true, updatedAt: iso(row.updated_at) };
}

/** The tenant's live workflows (RLS scopes them), by name. */
export async function listWorkflows(sql: Sql): Promise<WorkflowSummary[]> {
  const { rows } = await sql.query<SummaryRow>(`SELECT ${SUMMARY} FROM workflows w ${LATEST} WHERE deleted_at IS NULL ORDER BY name`);
  return rows.map(toSummary);
}

export async function getWorkflow(sql: Sql, id: string): Promise<WorkflowDraft | undefined> {
  const { rows } = await sql.query<SummaryRow>(
    `SELECT ${SUMMARY}, w.draft_yaml FROM workflows w ${LATEST} WHERE id::text = $1 AND deleted_at IS NULL`,
    [id],
  );
  const row = rows[0];
  return row ? { ...toSummary(row), yaml: row.draft_yaml ?? "" } : undefined;
}

/** Returns undefined when a live workflow already has the name. */
export async function createWorkflow(sql: Sql, input: { tenantId: string; name: string; yaml: string; userId: string }): Promise<string | undefined> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO workflows (tenant_id, name, draft_yaml, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, name) WHERE deleted_at IS NULL DO NOTHING RETURNING id::text AS id`,
    [input.tenantId, input.name, input.yaml, input.userId],
  );
  return rows[0]?.id;
}

/**
 * Saves the draft only if nobody saved since `revision` (compare-and-set in one statement). Returns the new
 * revision, or undefined when the revision is stale and nothing was written.
 */
export async function saveDraft(sql: Sql, id: string, yaml: string, name: string, revision: number): Promise<number | undefined> {
  const { rows } = await sql.query<{ revision: number }>(
    `UPDATE workflows SET draft_yaml = $2, name = $3, draft_revision = draft_revision + 1, updated_at = now()
      WHERE id::text = $1 AND deleted_at IS NULL AND draft_revision = $4 RETURNING draft_revision AS revision`,
    [id, yaml, name, revision],
  );
  return rows[0]?.revision;
}

export async function softDelete(sql: Sql, id: string): Promise<boolean> {
  const { rowCount } = await sql.query("UPDATE workflows SET deleted_at = now() WHERE id::text = $1 AND deleted_at IS NULL", [id]);
  return rowCount > 0;
}

/** Appends version N+1 with this YAML, under a lock on the workflow row so concurrent publishes get N+1, N+2. */
export async function publishVersion(sql: Sql, input: { tenantId: string; workflowId: string; yaml: string; note: string; authorId: string }): Promise<VersionRecord> {
  // Two publishes of one workflow at once: the second waits here instead of computing the same next number.
  await sql.query("SELECT 1 FROM workflows WHERE tenant_id = $1 AND id = $2 FOR UPDATE", [input.tenantId, input.workflowId]);
  const { rows } = await sql.query<{ version: number; note: string; author_id: string | null; created_at: unknown }>(
    `INSERT INTO workflow_versions (tenant_id, workflow_id, version, yaml, note, author_id)
     SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5 FROM workflow_versions WHERE tenant_id = $1 AND workflow_id = $2
     RETURNING version, note, author_id::text AS author_id, created_at`,
    [input.tenantId, input.workflowId, input.yaml, input.note, input.authorId],
  );
  const row = rows[0]!;
  return { version: row.version, note: row.note, authorId: row.author_id, createdAt: iso(row.created_at) };
}

export async function listVersions(sql: Sql, workflowId: string): Promise<VersionRecord[]> {
  const { rows } = await sql.query<{ version: number; note: string; author_id: string | null; created_at: unknown }>(
    `SELECT version, note, author_id::text AS author_id, created_at FROM workflow_versions
      WHERE workflow_id::text = $1 ORDER BY version DESC`,
    [workflowId],
  );
  return rows.map((row) => ({ version: row.version, note: row.note, authorId: row.author_id, createdAt: iso(row.created_at) }));
}

export async function versionYaml(sql: Sql, workflowId: string, version: number): Promise<string | undefined> {
  const { rows } = await sql.query<{ yaml: string }>(
    "SELECT yaml FROM workflow_versions WHERE workflow_id::text = $1 AND version = $2",
    [workflowId, version],
  );
  return rows[0]?.yaml;
}
