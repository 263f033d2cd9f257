import type { Sql } from "@flowdeck/runtime";
import { containsPattern, toApi } from "./route-kit";
import { SqlParams, selectPage, setClause } from "./sql-parts";
import { isUuidText } from "./query-params";

const COLUMNS = "id, email, name, phone, created_at, updated_at";

/** PATCH body keys → columns. */
const PATCHABLE = { email: "email", name: "name", phone: "phone" } as const;

export interface CustomerFilter {
  readonly email?: string;
  /** Part of the name or email, case-insensitive. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export async function listCustomers(sql: Sql, filter: CustomerFilter) {
  const params = new SqlParams();
  const where: string[] = [];
  if (filter.email) where.push(`email = ${params.add(filter.email)}`);
  if (filter.q) {
    const pattern = params.add(containsPattern(filter.q));
    where.push(`(name ILIKE ${pattern} OR email ILIKE ${pattern})`);
  }
  const page = await selectPage<object>(sql, {
    select: `SELECT ${COLUMNS} FROM customers`,
    idType: "uuid",
    params,
    where,
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.rows.map(toApi), nextCursor: page.nextCursor };
}

export async function getCustomer(sql: Sql, id: string) {
  if (!isUuidText(id)) return undefined;
  const { rows } = await sql.query(`SELECT ${COLUMNS} FROM customers WHERE id = $1`, [id]);
  return rows[0] ? toApi(rows[0]) : undefined;
}

export async function createCustomer(
  sql: Sql,
  tenantId: string,
  input: { email: string; name: string | null; phone: string | null },
) {
  const { rows } = await sql.query(
    `INSERT INTO customers (tenant_id, email, name, phone) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [tenantId, input.email, input.name, input.phone],
  );
  return toApi(rows[0]!);
}

/** The updated customer and the fields that were given, or undefined when there is no such customer. */
export async function updateCustomer(sql: Sql, id: string, patch: Record<string, unknown>) {
  if (!isUuidText(id)) return undefined;
  const params = new SqlParams();
  const set = setClause(params, patch, PATCHABLE);
  const { rows } = await sql.query(
    `UPDATE customers SET ${set.sql} WHERE id = ${params.add(id)} RETURNING ${COLUMNS}`,
    params.values,
  );
  return rows[0] ? { item: toApi(rows[0]), fields: set.fields } : undefined;
}

/** Orders keep their customer_email; their customer_id link is cleared by the foreign key. */
export async function deleteCustomer(sql: Sql, id: string): Promise<boolean> {
  if (!isUuidText(id)) return false;
  const { rowCount } = await sql.query("DELETE FROM customers WHERE id = $1", [id]);
  return rowCount > 0;
}
