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

// $1 = days. `today` and the window start are computed once in SQL, so the series and the filter agree.
export const WINDOW = `WITH bounds AS (
  SELECT (now() AT TIME ZONE 'UTC')::date AS today,
         (now() AT TIME ZONE 'UTC')::date - ($1::int - 1) AS first_day
), days AS (
  SELECT d::date AS day FROM bounds, generate_series(bounds.first_day, bounds.today, interval '1 day') AS d
)`;
export const SINCE = `(SELECT first_day FROM bounds)::timestamp AT TIME ZONE 'UTC'`;
export const DAY = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;

// The words of `GET /runs?testRuns=`, whose default (every run) suits a list; analytics default to exclude.
export const TEST_RUNS = ["exclude", "include", "only"] as const;
export type TestRuns = (typeof TEST_RUNS)[number];

// Text from a closed set, so each choice is its own statement and the planner sees a constant.
const TEST_RUN_FILTER: Record<TestRuns, (alias: string) => string> = {
  exclude: (alias) => `${alias}.channel <> '${TEST_RUN_CHANNEL}'`,
  include: () => "true",
  only: (alias) => `${alias}.channel = '${TEST_RUN_CHANNEL}'`,
};

/**
 * The window's runs, test runs as `testRuns` says (replays are never traffic), of the workflow in $2 and the
 * version in $3 when given. Every run query passes `[days, workflow ?? null, version ?? null]`. The channel is
 * checked on the rows `runs_by_created` already found for the tenant, so it needs no index of its own.
 */
export const runFilter = (alias: string, testRuns: TestRuns) =>
  `${alias}.mode = 'live' AND ${TEST_RUN_FILTER[testRuns](alias)}
   AND ($2::text IS NULL OR ${alias}.workflow_name = $2)
   AND ($3::int IS NULL OR ${alias}.workflow_version = $3)`;

export const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export async function bounds(sql: Sql, days: number): Promise<{ from: string; to: string }> {
  const { rows } = await sql.query<{ from: string; to: string }>(
    `${WINDOW} SELECT to_char(first_day, 'YYYY-MM-DD') AS from, to_char(today, 'YYYY-MM-DD') AS to FROM bounds`,
    [days],
  );
  return rows[0]!;
}
