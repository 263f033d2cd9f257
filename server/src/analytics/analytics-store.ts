import { journalStepsOf, type Sql } from "@flowdeck/runtime";

import {
  bounds,
  DAY,
  ratio,
  runFilter,
  runParams,
  since,
  SINCE,
  testRunFilter,
  WINDOW,
  type AnalyticsWindow,
} from "./analytics-window";

// Runs per day, lead conversion and model usage. Run outcomes live in run-outcomes.ts, router tiers in
// router-tiers.ts, the shared window in analytics-window.ts.

export interface RunsPerDay {
  readonly day: string;
  readonly total: number;
  readonly completed: number;
  readonly handoff: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Not concluded yet: queued, running or waiting for the customer. */
  readonly open: number;
}

/** Runs started per day (by created_at), split by their status now. */
export async function runsPerDay(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<RunsPerDay>(
    `${WINDOW}
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
            count(r.status)::int AS total,
            count(*) FILTER (WHERE r.status = 'completed')::int AS completed,
            count(*) FILTER (WHERE r.status = 'handoff')::int AS handoff,
            count(*) FILTER (WHERE r.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
            count(*) FILTER (WHERE r.status IN ('queued', 'running', 'waiting'))::int AS open
       FROM days
       LEFT JOIN runs r ON ${DAY("r.created_at")} = days.day AND r.created_at >= ${SINCE} AND ${runFilter("r", window.testRuns)}
      GROUP BY days.day ORDER BY days.day`,
    runParams(window, range),
  );
  return { ...range, items: rows };
}

/**
 * Leads created in the window by their status now; conversion = won / all, win rate = won / (won + lost).
 * `testRuns` applies to the run that captured each lead (runtime migration 0018): a lead an editor test run
 * captured is staff's, left out by default like the test runs; leads entered by staff or the API have no run
 * and always count.
 */
export async function leadConversion(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<{ status: string; count: number }>(
    `SELECT status, count(*)::int AS count FROM leads
      WHERE created_at >= ${since(1)} AND ${testRunFilter("channel", window.testRuns)}
      GROUP BY status`,
    [range.from],
  );
  const byStatus: Record<string, number> = { new: 0, contacted: 0, qualified: 0, won: 0, lost: 0 };
  for (const row of rows) byStatus[row.status] = row.count;
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  return {
    ...range,
    total,
    byStatus,
    conversionRate: ratio(byStatus.won!, total),
    winRate: ratio(byStatus.won!, byStatus.won! + byStatus.lost!),
  };
}

export interface UsagePerDay {
  readonly day: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  readonly costUsd: number;
  /** What local routing saved: the LLM classifications it avoided, at the configured prices (issue 16). */
  readonly savedUsd: number;
  /** Steps that reported usage (model calls by agent and router nodes). */
  readonly modelSteps: number;
}

/**
 * Tokens and cost per day from the steps that called a model: the engine stores each step's usage
 * (the `usage` of its record in the run journal: promptTokens, completionTokens, costUsd from the price table), dated by when it finished.
 * Savings come from the router steps the local classifier decided (`details.savedUsd`, priced when they ran).
 * Live runs only: replays are not traffic.
 */
export async function usagePerDay(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<{
    day: string;
    prompt: number;
    completion: number;
    cost: number;
    saved: number;
    steps: number;
  }>(
    `${WINDOW}, used AS (
       SELECT ${DAY("s.finished_at")} AS day,
              coalesce((s.usage->>'promptTokens')::float8, 0) AS prompt,
              coalesce((s.usage->>'completionTokens')::float8, 0) AS completion,
              coalesce((s.usage->>'costUsd')::numeric, 0) AS cost,
              CASE WHEN jsonb_typeof(s.details->'savedUsd') = 'number' THEN (s.details->>'savedUsd')::numeric
                   ELSE 0 END AS saved,
              jsonb_typeof(s.usage) = 'object' AS model_step
         FROM runs r ${journalStepsOf("r")}
        WHERE (jsonb_typeof(s.usage) = 'object' OR jsonb_typeof(s.details->'savedUsd') = 'number')
          AND r.updated_at >= ${SINCE} AND s.finished_at >= ${SINCE} AND ${runFilter("r", window.testRuns)}
     )
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
            coalesce(sum(used.prompt), 0)::float8 AS prompt,
            coalesce(sum(used.completion), 0)::float8 AS completion,
            round(coalesce(sum(used.cost), 0), 6)::float8 AS cost,
            round(coalesce(sum(used.saved), 0), 6)::float8 AS saved,
            count(used.day) FILTER (WHERE used.model_step)::int AS steps
       FROM days LEFT JOIN used ON used.day = days.day
      GROUP BY days.day ORDER BY days.day`,
    runParams(window, range),
  );
  const items: UsagePerDay[] = rows.map((row) => ({
    day: row.day,
    promptTokens: row.prompt,
    completionTokens: row.completion,
    totalTokens: row.prompt + row.completion,
    costUsd: row.cost,
    savedUsd: row.saved,
    modelSteps: row.steps,
  }));
  const sum = (pick: (item: UsagePerDay) => number) => items.reduce((total, item) => total + pick(item), 0);
  return {
    ...range,
    totals: {
      promptTokens: sum((i) => i.promptTokens),
      completionTokens: sum((i) => i.completionTokens),
      totalTokens: sum((i) => i.totalTokens),
      costUsd: Math.round(sum((i) => i.costUsd) * 1e6) / 1e6,
      savedUsd: Math.round(sum((i) => i.savedUsd) * 1e6) / 1e6,
      modelSteps: sum((i) => i.modelSteps),
    },
    items,
  };
}
