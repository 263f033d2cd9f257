import type { Sql } from "@flowdeck/runtime";
import { isUuidText } from "./query-params";
import { containsPattern, toApi } from "./route-kit";
import { SqlParams, selectPage, setClause } from "./sql-parts";

const COLUMNS = "id, slug, title, body, category, published, created_at, updated_at";

const PATCHABLE = {
  slug: "slug",
  title: "title",
  body: "body",
  category: "category",
  published: "published",
} as const;

export interface ArticleInput {
  readonly slug: string;
  readonly title: string;
  readonly body: string;
  readonly category: string;
  readonly published: boolean;
}

export interface ArticleFilter {
  readonly category?: string;
  readonly published?: boolean;
  /** Words to find in title or body (full-text, any form of the word), or part of the title. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** `Where is my order?` → `where-is-my-order`; empty when the title has no latin letters or digits. */
export function slugOf(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

export async function listArticles(sql: Sql, filter: ArticleFilter) {
  const params = new SqlParams();
  const where: string[] = [];
  if (filter.category) where.push(`category = ${params.add(filter.category)}`);
  if (filter.published !== undefined) where.push(`published = ${params.add(filter.published)}`);
  if (filter.q) {
    const words = params.add(filter.q);
    where.push(
      `(search @@ websearch_to_tsquery('english', ${words}) OR title ILIKE ${params.add(containsPattern(filter.q))})`,
    );
  }
  const page = await selectPage<object>(sql, {
    select: `SELECT ${COLUMNS} FROM kb_articles`,
    idType: "uuid",
    params,
    where,
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.rows.map(toApi), nextCursor: page.nextCursor };
}

export async function getArticle(sql: Sql, id: string) {
  if (!isUuidText(id)) return undefined;
  const { rows } = await sql.query(`SELECT ${COLUMNS} FROM kb_articles WHERE id = $1`, [id]);
  return rows[0] ? toApi(rows[0]) : undefined;
}

export async function createArticle(sql: Sql, tenantId: string, input: ArticleInput) {
  const { rows } = await sql.query(
    `INSERT INTO kb_articles (tenant_id, slug, title, body, category, published)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [tenantId, input.slug, input.title, input.body, input.category, input.published],
  );
  return toApi(rows[0]!);
}

export async function updateArticle(sql: Sql, id: string, patch: Record<string, unknown>) {
  if (!isUuidText(id)) return undefined;
  const params = new SqlParams();
  const set = setClause(params, patch, PATCHABLE);
  const { rows } = await sql.query(
    `UPDATE kb_articles SET ${set.sql} WHERE id = ${params.add(id)} RETURNING ${COLUMNS}`,
    params.values,
  );
  return rows[0] ? { item: toApi(rows[0]), fields: set.fields } : undefined;
}

export async function deleteArticle(sql: Sql, id: string): Promise<boolean> {
  if (!isUuidText(id)) return false;
  const { rowCount } = await sql.query("DELETE FROM kb_articles WHERE id = $1", [id]);
  return rowCount > 0;
}
