import type { Sql } from "@flowdeck/runtime";
import { RUN_MONEY_LATERAL } from "./run-costs";
import { clipPreview, RUN_PREVIEW_SQL } from "./run-preview";
import { TEST_RUN_CHANNEL } from "./test-run-channel";

export interface RunFilters {
  readonly status?: string;
  readonly workflow?: string;
  /** A published version number of the workflow(s) listed. */
  readonly version?: number;
  readonly conversationId?: string;
  readonly channel?: string;
  readonly mode?: string;
  /**
   * Test runs (channel `test`: the builder's test panel, a staff chat, `POST /runs` with `draft`) left out
   * (`exclude`) or alone (`only`); both when absent. A filter of its own because `mode` already means
   * live-or-replay, and a test run is live.
   */
  readonly testRuns?: "exclude" | "only";
  /** ISO time: runs created at or after it. */
  readonly since?: string;
  /** ISO time of the last item of the previous page: runs created strictly before it. */
  readonly before?: string;
  /**
   * With `before`, the last item's id: the page continues after (created_at, id) in the list's order, so runs
   * created in the same microsecond (a burst of webhooks) are neither skipped nor repeated.
   */
  readonly beforeId?: string;
  readonly limit: number;
}

export interface RunSummary {
  readonly id: string;
  readonly workflowName: string;
  readonly workflowVersion: number | null;
  readonly status: string;
  readonly conversationId: string;
  readonly channel: string;
  /** The channel's name when `channel` is `web:<id>` or `webhook:<id>` (also once the channel is deleted). */
  readonly channelName: string | null;
  /** `live` or `replay` (runtime's run-mode.ts). */
  readonly mode: string;
  /** What the run's model calls cost and what local routing saved, USD at the configured prices (run-costs.ts). */
  readonly costUsd: number;
  readonly savedUsd: number;
  /**
   * The message that started the run (else its input as JSON text) on one line, at most 120 characters, ending
   * in "…" when cut; null when the run kept no input (run-preview.ts). Shown to whoever may open the run.
   */
  readonly preview: string | null;
  readonly error: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const LISTED_COLUMNS =
  "tenant_id, id, workflow_name, workflow_version, status, conversation_id, channel, mode, input, error, created_at, updated_at";

/** The channel a run names, for its name: only `<kind>:<uuid>` values can be one, so the cast never fails. */
export const RUN_CHANNEL_JOIN = `LEFT JOIN channels ch
         ON ch.tenant_id = runs.tenant_id
        AND ch.kind = split_part(runs.channel, ':', 1)
        AND ch.id = CASE WHEN runs.channel ~* '^(web|webhook):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                         THEN split_part(runs.channel, ':', 2)::uuid END`;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The tenant's runs, newest first, filtered; keyset-paged on (created_at, id) (`before`, `beforeId`). */
export async function listRuns(sql: Sql, filters: RunFilters): Promise<RunSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (filters.status) add("runs.status = ?", filters.status);
  if (filters.workflow) add("runs.workflow_name = ?", filters.workflow);
  if (filters.version !== undefined) add("runs.workflow_version = ?", filters.version);
  if (filters.conversationId) add("runs.conversation_id = ?", filters.conversationId);
  if (filters.channel) add("runs.channel = ?", filters.channel);
  if (filters.mode) add("runs.mode = ?", filters.mode);
  if (filters.testRuns === "exclude") add("runs.channel <> ?", TEST_RUN_CHANNEL);
  if (filters.testRuns === "only") add("runs.channel = ?", TEST_RUN_CHANNEL);
  if (filters.since) add("runs.created_at >= ?::timestamptz", filters.since);
  if (filters.before && filters.beforeId) {
    params.push(filters.before, filters.beforeId);
    where.push(`(runs.created_at, runs.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  } else if (filters.before) add("runs.created_at < ?::timestamptz", filters.before);
  params.push(filters.limit);
  // The page is chosen first, then priced and previewed: the money subquery and the preview's reading of `input`
  // run for the listed runs only.
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT runs.id::text AS id, runs.workflow_name, runs.workflow_version, runs.status, runs.conversation_id,
            runs.channel, ch.name AS channel_name, runs.mode, runs.error, runs.created_at, runs.updated_at,
            money.cost_usd, money.saved_usd, ${RUN_PREVIEW_SQL} AS preview
       FROM (SELECT ${LISTED_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
              ORDER BY runs.created_at DESC, runs.id DESC LIMIT $${params.length}) runs
       ${RUN_CHANNEL_JOIN}
       ${RUN_MONEY_LATERAL}
      ORDER BY runs.created_at DESC, runs.id DESC`,
    params,
  );
  return rows.map((row) => ({
    id: String(row.id),
    workflowName: String(row.workflow_name),
    workflowVersion: (row.workflow_version as number | null) ?? null,
    status: String(row.status),
    conversationId: String(row.conversation_id),
    channel: String(row.channel),
    channelName: typeof row.channel_name === "string" ? row.channel_name : null,
    mode: String(row.mode),
    costUsd: Number(row.cost_usd ?? 0),
    savedUsd: Number(row.saved_usd ?? 0),
    preview: clipPreview(row.preview),
    error: row.error ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }));
}

const CHANNEL_VALUE = /^(web|webhook):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The name of the channel a run's `channel` value names, or null (`api`, `test`, `cli`, a replay). */
export async function runChannelName(sql: Sql, tenantId: string, channel: string): Promise<string | null> {
  const match = CHANNEL_VALUE.exec(channel);
  if (!match) return null;
  const { rows } = await sql.query<{ name: string }>(
    "SELECT name FROM channels WHERE tenant_id = $1::uuid AND kind = $2 AND id = $3::uuid",
    [tenantId, match[1]!.toLowerCase(), match[2]],
  );
  return rows[0]?.name ?? null;
}
