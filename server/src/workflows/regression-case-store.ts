import type { Sql } from "@flowdeck/runtime";

/** A saved test-run conversation of one workflow: replayed against the draft to catch a change in route or replies. */
export interface RegressionCase {
  readonly id: string;
  readonly workflowId: string;
  readonly name: string;
  /** The run it was saved from; its inputs are what a replay sends again. */
  readonly runId: string;
  readonly createdAt: string;
}

interface CaseRow {
  id: string;
  workflow_id: string;
  name: string;
  run_id: string;
  created_at: unknown;
}

const COLUMNS = "id::text AS id, workflow_id::text AS workflow_id, name, run_id::text AS run_id, created_at";
const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const caseOf = (row: CaseRow): RegressionCase => ({
  id: row.id,
  workflowId: row.workflow_id,
  name: row.name,
  runId: row.run_id,
  createdAt: isoOf(row.created_at),
});

/** True when the tenant (RLS) has this workflow; `includeDeleted` also counts a soft-deleted one. */
export async function workflowVisible(sql: Sql, workflowId: string, includeDeleted = false): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM workflows WHERE id::text = $1${includeDeleted ? "" : " AND deleted_at IS NULL"}`,
    [workflowId],
  );
  return rows.length > 0;
}

/** True when the tenant (RLS) has this run. */
export async function runVisible(sql: Sql, runId: string): Promise<boolean> {
  const { rows } = await sql.query("SELECT 1 FROM runs WHERE id::text = $1", [runId]);
  return rows.length > 0;
}

export async function listRegressionCases(sql: Sql, workflowId: string): Promise<RegressionCase[]> {
  const { rows } = await sql.query<CaseRow>(
    `SELECT ${COLUMNS} FROM regression_cases WHERE workflow_id::text = $1 ORDER BY created_at, id`,
    [workflowId],
  );
  return rows.map(caseOf);
}

export async function insertRegressionCase(
  sql: Sql,
  entry: { tenantId: string; workflowId: string; name: string; runId: string; userId: string },
): Promise<RegressionCase> {
  const { rows } = await sql.query<CaseRow>(
    `INSERT INTO regression_cases (tenant_id, workflow_id, name, run_id, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [entry.tenantId, entry.workflowId, entry.name, entry.runId, entry.userId],
  );
  return caseOf(rows[0]!);
}

/** Deletes one case of the workflow; false when there is no such case. */
export async function deleteRegressionCase(sql: Sql, workflowId: string, caseId: string): Promise<boolean> {
  const { rows } = await sql.query(
    "DELETE FROM regression_cases WHERE workflow_id::text = $1 AND id::text = $2 RETURNING id",
    [workflowId, caseId],
  );
  return rows.length > 0;
}
