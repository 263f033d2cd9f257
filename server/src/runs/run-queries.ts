import type { Sql } from "@flowdeck/runtime";

export interface RunFilters {
  readonly status?: string;
  readonly workflow?: string;
  readonly conversationId?: string;
  readonly channel?: string;
  /** ISO time: runs created at or after it. */
  readonly since?: string;
  /** ISO time of the last item of the previous page: runs created strictly before it. */
  readonly before?: string;
  readonly limit: number;
}

export interface RunSummary {
  readonly id: string;
  readonly workflowName: string;
  readonly workflowVersion: number | null;
  readonly status: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly error: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The tenant's runs, newest first, filtered; keyset-paged on created_at (`before`). */
export async function listRuns(sql: Sql, filters: RunFilters): Promise<RunSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (filters.status) add("status = ?", filters.status);
  if (filters.workflow) add("workflow_name = ?", filters.workflow);
  if (filters.conversationId) add("conversation_id = ?", filters.conversationId);
  if (filters.channel) add("channel = ?", filters.channel);
  if (filters.since) add("created_at >= ?::timestamptz", filters.since);
  if (filters.before) add("created_at < ?::timestamptz", filters.before);
  params.push(filters.limit);
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT id::text AS id, workflow_name, workflow_version, status, conversation_id, channel, error,
            created_at, updated_at
       FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created_at DESC, id LIMIT $${params.length}`,
    params,
  );
  return rows.map((row) => ({
    id: String(row.id),
    workflowName: String(row.workflow_name),
    workflowVersion: (row.workflow_version as number | null) ?? null,
    status: String(row.status),
    conversationId: String(row.conversation_id),
    channel: String(row.channel),
    error: row.error ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }));
}
