import type { Sql } from "@flowdeck/runtime";
import { TEST_RUN_CHANNEL } from "../runs/test-run-channel";

/**
 * The window every analytics query shares. A window is the last `days` calendar days in UTC, today included;
 * daily series have one entry per day, zeros included, oldest first, so a chart needs no gap filling.
 */
export interface AnalyticsWindow {
  readonly days: number;
  /** The editor's test runs: left out (the default: they are staff, not customers), counted too, or alone. */
  readonly testRuns: TestRuns;
  /** Only runs of this workflow (run metrics). */
  readonly workflow?: string;
  /** Only runs of this published version number (run metrics; usually with `workflow`). */
  readonly version?: number;
}

// $1 = days. `today` and the window start come from the transaction's `now()`, which stays the same for every
// statement of the transaction, so the series here and the bound of `since` (read by `bounds` first) agree.
export const WINDOW = `WITH bounds AS (
  SELECT (now() AT TIME ZONE 'UTC')::date AS today,
         (now() AT TIME ZONE 'UTC')::date - ($1::int - 1) AS first_day
), days AS (
  SELECT d::date AS day FROM bounds, generate_series(bounds.first_day, bounds.today, interval '1 day') AS d
)`;

/**
 * The window's first instant from parameter `$n`, the `from` of `bounds`, read earlier in the same transaction.
 * A value the planner sees, so the index on the dated column bounds the scan: a subquery over `bounds` in its
 * place left PostgreSQL 15 reading every run of the tenant and filtering each (analytics-window-plans.test.ts).
 */
export const since = (n: number) => `($${n}::date::timestamp AT TIME ZONE 'UTC')`;
/** The run queries' bound: `$4`, after days, workflow and version. */
export const SINCE = since(4);
export const DAY = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;

// The words of `GET /runs?testRuns=`, whose default (every run) suits a list; analytics default to exclude.
export const TEST_RUNS = ["exclude", "include", "only"] as const;
export type TestRuns = (typeof TEST_RUNS)[number];

// Text from a closed set, so each choice is its own statement and the planner sees a constant. A lead's channel
// is NULL when staff entered it, which is not a test run's: hence IS DISTINCT FROM, not <>.
const TEST_RUN_FILTER: Record<TestRuns, (channel: string) => string> = {
  exclude: (channel) => `${channel} IS DISTINCT FROM '${TEST_RUN_CHANNEL}'`,
  include: () => "true",
  only: (channel) => `${channel} = '${TEST_RUN_CHANNEL}'`,
};

/** Rows whose channel column (a run's, or the run's that captured a lead) is a test run's, as `testRuns` says. */
export const testRunFilter = (channel: string, testRuns: TestRuns) => TEST_RUN_FILTER[testRuns](channel);

/**
 * The window's runs, test runs as `testRuns` says (replays are never traffic), of the workflow in $2 and the
 * version in $3 when given. Every run query passes `runParams(window, range)`. The channel is checked on the
 * rows the window's index (`runs_by_created`, `runs_by_updated`) already found, so it needs no index of its own.
 */
export const runFilter = (alias: string, testRuns: TestRuns) =>
  `${alias}.mode = 'live' AND ${testRunFilter(`${alias}.channel`, testRuns)}
   AND ($2::text IS NULL OR ${alias}.workflow_name = $2)
   AND ($3::int IS NULL OR ${alias}.workflow_version = $3)`;

/** `[days, workflow, version, from]`: what WINDOW, runFilter and SINCE read. */
export const runParams = (window: AnalyticsWindow, range: { readonly from: string }) => [
  window.days,
  window.workflow ?? null,
  window.version ?? null,
  range.from,
];

export const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** The window's first and last day; read first, since its `from` is the bound the queries pass to `since`. */
export async function bounds(sql: Sql, days: number): Promise<{ from: string; to: string }> {
  const { rows } = await sql.query<{ from: string; to: string }>(
    `${WINDOW} SELECT to_char(first_day, 'YYYY-MM-DD') AS from, to_char(today, 'YYYY-MM-DD') AS to FROM bounds`,
    [days],
  );
  return rows[0]!;
}
