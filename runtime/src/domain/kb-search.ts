import type { KbHit } from "@flowdeck/node-library/runtime";
import type { Sql } from "../store/database";
import { cleanText } from "../store/sql-values";

export interface KbSearchQuery {
  readonly query: string;
  /** 1–20 */
  readonly limit: number;
  readonly category?: string;
  /** 0–1 */
  readonly minScore: number;
}

const MAX_QUERY_WORDS = 40;
const MAX_WORD_CHARS = 64;
// Words websearch_to_tsquery treats as operators; the question's own "or" must not become one.
const OPERATOR_WORDS = new Set(["or", "and", "not"]);

/**
 * The customer's question as a websearch_to_tsquery input that matches ANY of its words: "how do I reset my
 * password" → "how or do or i or reset or my or password". Postgres drops the stop words and stems the rest;
 * with the default AND, one word the articles don't use ("reset my password on my iPad") would hide the
 * right article. Only letters and digits survive, so no input can form quotes, negations or syntax errors.
 */
export function anyWordQuery(question: string): string {
  const words =
    cleanText(question)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((word) => !OPERATOR_WORDS.has(word))
    .map((word) => word.slice(0, MAX_WORD_CHARS))
    .slice(0, MAX_QUERY_WORDS)
    .join(" or ");
}

// Full-text search finds the candidates (GIN index, any word), then a score in 0–1 says how much of the
// question an article covers: the share of the question's words that the article contains, a title match
// counting fully and a body match 0.8. Words are weighted 1 + idf (rarity among the tenant's articles in
// scope): rare words say more about the question, and a word no article contains weighs most, so "what's the
// weather like" scores low on an article that merely says "like". The 1 + keeps a shop's topic words (a
// "return" that many articles mention) from counting for nothing in a small knowledge base. ts_rank_cd
// breaks ties between equally covering articles.
const SEARCH_ARTICLES = `
WITH query AS (
  SELECT websearch_to_tsquery('english', $2) AS any_word,
         tsvector_to_array(to_tsvector('english', $2)) AS terms
), scope AS (
  SELECT id, title, body, search FROM kb_articles
   WHERE tenant_id = $1 AND published AND ($3::text IS NULL OR category = $3)
), candidates AS (
  SELECT s.id, s.title, s.body,
         tsvector_to_array(s.search) AS lexemes,
         tsvector_to_array(ts_filter(s.search, '{a}')) AS title_lexemes,
         ts_rank_cd(s.search, q.any_word) AS rank
    FROM scope s CROSS JOIN query q
   WHERE s.search @@ q.any_word
), weights AS (
  SELECT t.term,
         1 + ln(1 + (SELECT count(*) FROM scope)::float8
                    / ((SELECT count(*) FROM candidates c WHERE t.term = ANY (c.lexemes)) + 0.5)) AS weight
    FROM query q CROSS JOIN unnest(q.terms) AS t(term)
), scored AS (
  SELECT c.id, c.title, c.body, c.rank,
         sum(CASE WHEN w.term = ANY (c.title_lexemes) THEN w.weight
                  WHEN w.term = ANY (c.lexemes) THEN 0.8 * w.weight
                  ELSE 0 END) / (SELECT sum(weight) FROM weights) AS score
    FROM candidates c CROSS JOIN weights w
   GROUP BY c.id, c.title, c.body, c.rank
)
SELECT id, title, body, round(score::numeric, 3)::float8 AS score
  FROM scored
 WHERE score >= $4
 ORDER BY score DESC, rank DESC, title
 LIMIT $5`;

/** Best matches first, each with a 0–1 score; nothing when the question has no searchable word. */
export async function searchArticles(sql: Sql, tenantId: string, query: KbSearchQuery): Promise<KbHit[]> {
  const text = anyWordQuery(query.query);
  if (text === "") return [];
  const limit = Math.min(20, Math.max(1, Math.trunc(query.limit) || 1));
  const minScore = Math.min(1, Math.max(0, query.minScore || 0));
  const category = query.category?.trim() ? query.category.trim() : null;
  const { rows } = await sql.query<KbHit>(SEARCH_ARTICLES, [tenantId, text, category, minScore, limit]);
  return rows;
}
