import type { Sql } from "@flowdeck/runtime";
import { invalid } from "./query-params";

/**
 * Small builders for the domain routes' dynamic SQL. Only values become parameters; column names come from
 * the code's own constant maps, never from the request.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * `col = $n, …, updated_at = now()` for the fields a PATCH body carries. `columns` maps body keys to column names; keys absent
 * from the body are left alone, `null` clears a nullable column.
 */
export function setClause(
  params: SqlParams,
  patch: Record<string, unknown>,
  columns: Readonly<Record<string, string>>,
): { sql: string; fields: string[] } {
  const parts: string[] = [];
  const fields: string[] = [];
  for (const [key, column] of Object.entries(columns)) {
    if (!Object.hasOwn(patch, key) || patch[key] === undefined) continue;
    parts.push(`${column} = ${params.add(patch[key])}`);
    fields.push(key);
  }
  parts.push("updated_at = now()");
  return { sql: parts.join(", "), fields };
}

interface CursorPosition {
  readonly at: string;
  readonly id: string;
}

// Keyset paging on (created_at, id), newest first: stable under inserts, unlike offsets. The timestamp is
// carried as text with microseconds, so no row is skipped or repeated at a page boundary.
const CURSOR_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, name = "cursor"): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === "string" &&
      value[1].length <= 200
    ) {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw invalid(name, "is not a cursor from this list (use nextCursor of the previous page)");
}

export interface PageQuery {
  /** `SELECT <columns> FROM <table>`; the table must have created_at and id. */
  readonly select: string;
  /** The id column's type, for comparing the cursor. */
  readonly idType: "uuid" | "text";
  readonly params: SqlParams;
  /** Filter clauses over `params`, ANDed. */
  readonly where: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
}

/** One page, newest first, and the cursor of the next page (null on the last one). */
export async function selectPage<Row extends object>(
  sql: Sql,
  query: PageQuery,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const where = [...query.where];
  const { params } = query;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    // A cursor with an id of the wrong shape would be a SQL cast error; it simply is not from this list.
    if (query.idType === "uuid" && !/^[0-9a-f-]{36}$/.test(after.id))
      throw invalid("cursor", "is not from this list");
    where.push(
      `(created_at, id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::${query.idType})`,
    );
  }
  const { rows } = await sql.query<Row & { cursor_at: string; id: string }>(
    `${query.select.replace(/^SELECT /, `SELECT ${CURSOR_AT} AS cursor_at, `)}
     ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY created_at DESC, id DESC LIMIT ${params.add(query.limit + 1)}`,
    params.values,
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor({ at: last.cursor_at, id: String(last.id) }) : null;
  return { rows: page.map(({ cursor_at: _cursor, ...row }) => row as unknown as Row), nextCursor };
}
