import type { Sql } from "@flowdeck/runtime";
import { isUuidText } from "./query-params";
import { containsPattern, toApi } from "./route-kit";
import { SqlParams, selectPage, setClause } from "./sql-parts";

/** Every status a lead can have (the `leads.status` CHECK lists the same), in funnel order. */
export const LEAD_STATUSES = ["new", "contacted", "qualified", "won", "lost"] as const;

// run_id and channel: the run that captured the lead (tool.lead_capture) and its channel (`test` for an editor
// test run); null for leads entered here. Read-only: neither is in the create or patch bodies.
const COLUMNS =
  "id, email, name, company, phone, interest, source, notes, status, run_id, channel, created_at, updated_at";

const PATCHABLE = {
  email: "email",
  name: "name",
  company: "company",
  phone: "phone",
  interest: "interest",
  source: "source",
  notes: "notes",
  status: "status",
} as const;

export interface LeadInput {
  readonly email: string;
  readonly name: string | null;
  readonly company: string | null;
  readonly phone: string | null;
  readonly interest: string | null;
  readonly source: string;
  readonly notes: string | null;
  readonly status: string;
}

export interface LeadFilter {
  readonly status?: string;
  readonly email?: string;
  readonly source?: string;
  /** Part of the name, email or company, case-insensitive. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export async function listLeads(sql: Sql, filter: LeadFilter) {
  const params = new SqlParams();
  const where: string[] = [];
  if (filter.status) where.push(`status = ${params.add(filter.status)}`);
  if (filter.email) where.push(`email = ${params.add(filter.email)}`);
  if (filter.source) where.push(`source = ${params.add(filter.source)}`);
  if (filter.q) {
    const pattern = params.add(containsPattern(filter.q));
    where.push(`(name ILIKE ${pattern} OR email ILIKE ${pattern} OR company ILIKE ${pattern})`);
  }
  const page = await selectPage<object>(sql, {
    select: `SELECT ${COLUMNS} FROM leads`,
    idType: "uuid",
    params,
    where,
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.rows.map(toApi), nextCursor: page.nextCursor };
}

export async function getLead(sql: Sql, id: string) {
  if (!isUuidText(id)) return undefined;
  const { rows } = await sql.query(`SELECT ${COLUMNS} FROM leads WHERE id = $1`, [id]);
  return rows[0] ? toApi(rows[0]) : undefined;
}

export async function createLead(sql: Sql, tenantId: string, input: LeadInput) {
  const { rows } = await sql.query(
    `INSERT INTO leads (tenant_id, email, name, company, phone, interest, source, notes, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      tenantId,
      input.email,
      input.name,
      input.company,
      input.phone,
      input.interest,
      input.source,
      input.notes,
      input.status,
    ],
  );
  return toApi(rows[0]!);
}

/** The updated lead, the fields given and the status before, or undefined when there is no such lead. */
export async function updateLead(sql: Sql, id: string, patch: Record<string, unknown>) {
  if (!isUuidText(id)) return undefined;
  const before = await sql.query<{ status: string }>("SELECT status FROM leads WHERE id = $1 FOR UPDATE", [
    id,
  ]);
  if (!before.rows[0]) return undefined;
  const params = new SqlParams();
  const set = setClause(params, patch, PATCHABLE);
  const { rows } = await sql.query(
    `UPDATE leads SET ${set.sql} WHERE id = ${params.add(id)} RETURNING ${COLUMNS}`,
    params.values,
  );
  return { item: toApi(rows[0]!), fields: set.fields, statusBefore: before.rows[0].status };
}

export async function deleteLead(sql: Sql, id: string): Promise<boolean> {
  if (!isUuidText(id)) return false;
  const { rowCount } = await sql.query("DELETE FROM leads WHERE id = $1", [id]);
  return rowCount > 0;
}
