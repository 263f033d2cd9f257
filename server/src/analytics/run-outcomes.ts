import { journalHasEvent, type Sql } from "@flowdeck/runtime";
import {
  bounds,
  DAY,
  ratio,
  runFilter,
  runParams,
  SINCE,
  WINDOW,
  type AnalyticsWindow,
  type TestRuns,
} from "./analytics-window";

/**
 * How each run ended, for resolution analytics (issue 17). One outcome per run, first match wins:
 * - `handoff`: the run was ever passed to a human (a `run.handoff` event, or in the inbox now), even when the
 *   agent handed it back and the bot finished it — a human was needed, so the bot did not resolve it;
 * - `failed`: the run failed;
 * - `resolved` / `unresolved` / `escalated`: a completed run, by its End node's `outcome` (the run's output;
 *   End defaults to resolved, and a flow that stops without an End node counts as resolved too).
 * Cancelled and still-open runs that were never handed off have no outcome (they say nothing about the flow).
 */
const OUTCOME = `CASE
    WHEN r.status = 'handoff' OR ${journalHasEvent("r", "run.handoff")} THEN 'handoff'
    WHEN r.status = 'failed' THEN 'failed'
    WHEN r.status = 'completed' THEN CASE r.output->>'outcome'
          WHEN 'unresolved' THEN 'unresolved' WHEN 'escalated' THEN 'escalated' ELSE 'resolved' END
  END`;

// $1 = days, $2 = workflow, $3 = version, $4 = the first day: the window's runs, each with its outcome.
const outcomes = (testRuns: TestRuns) => `${WINDOW}, outcomes AS (
  SELECT ${DAY("r.created_at")} AS day, r.workflow_name, r.workflow_version, ${OUTCOME} AS outcome
    FROM runs r WHERE r.created_at >= ${SINCE} AND ${runFilter("r", testRuns)}
)`;

interface OutcomeCounts {
  readonly resolved: number;
  readonly unresolved: number;
  readonly escalated: number;
  readonly handoff: number;
  readonly failed: number;
}

const COUNTS = `count(o.outcome) FILTER (WHERE o.outcome = 'resolved')::int AS resolved,
  count(o.outcome) FILTER (WHERE o.outcome = 'unresolved')::int AS unresolved,
  count(o.outcome) FILTER (WHERE o.outcome = 'escalated')::int AS escalated,
  count(o.outcome) FILTER (WHERE o.outcome = 'handoff')::int AS handoff,
  count(o.outcome) FILTER (WHERE o.outcome = 'failed')::int AS failed`;

/** Counts plus the shares of the concluded runs (4 decimals, null when none concluded). */
function withRates(counts: OutcomeCounts) {
  const { resolved, unresolved, escalated, handoff, failed } = counts;
  const completed = resolved + unresolved + escalated;
  const concluded = completed + handoff + failed;
  return {
    concluded,
    // Completed by the bot, whatever the End outcome (kept from the first version of this route).
    completed,
    resolved,
    unresolved,
    escalated,
    handoff,
    failed,
    resolutionRate: ratio(resolved, concluded),
    handoffRate: ratio(handoff, concluded),
    failureRate: ratio(failed, concluded),
  };
}

export type OutcomeDay = { readonly day: string } & OutcomeCounts;

/** Totals and rates over the window, and the same counts per day (every day, oldest first). */
export async function resolution(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<OutcomeDay>(
    `${outcomes(window.testRuns)}
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, ${COUNTS}
       FROM days LEFT JOIN outcomes o ON o.day = days.day
      GROUP BY days.day ORDER BY days.day`,
    runParams(window, range),
  );
  const total = (key: keyof OutcomeCounts) => rows.reduce((sum, row) => sum + row[key], 0);
  return {
    ...range,
    ...withRates({
      resolved: total("resolved"),
      unresolved: total("unresolved"),
      escalated: total("escalated"),
      handoff: total("handoff"),
      failed: total("failed"),
    }),
    items: rows,
  };
}

/**
 * The same outcomes per workflow and version (only test runs run a draft, so a null version appears only
 * when they are included), the workflows with the most runs first. Also what the editor's workflow and version filters offer.
 */
export async function outcomesByWorkflow(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<
    { workflow: string; version: number | null; runs: number } & OutcomeCounts
  >(
    `${outcomes(window.testRuns)}
     SELECT o.workflow_name AS workflow, o.workflow_version AS version, count(*)::int AS runs, ${COUNTS}
       FROM outcomes o
      GROUP BY o.workflow_name, o.workflow_version
      ORDER BY runs DESC, o.workflow_name, o.workflow_version DESC NULLS LAST`,
    runParams(window, range),
  );
  return {
    ...range,
    items: rows.map(({ workflow, version, runs, ...counts }) => ({
      workflow,
      version,
      runs,
      ...withRates(counts),
    })),
  };
}
