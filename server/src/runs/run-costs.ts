import { journalStepsOf, type StepRecord } from "@flowdeck/runtime";

/**
 * Money per step and per run (issue 16), in USD at the configured prices: `costUsd` is what the step's model
 * calls cost (`usage.costUsd`, priced by the model gateway), `savedUsd` what local routing saved (a router
 * step's `details.savedUsd`, priced by runtime's routing-savings.ts). Both are recorded on the step when it
 * runs, so the trace, the run list and analytics add up the same numbers and a price change never rewrites
 * history.
 */
export interface StepMoney {
  readonly costUsd: number;
  readonly savedUsd: number;
}

export function stepMoney(step: Pick<StepRecord, "usage" | "details">): StepMoney {
  return { costUsd: finite(step.usage?.costUsd), savedUsd: finite(step.details?.savedUsd) };
}

/** A run's totals, rounded to a millionth of a dollar (the analytics' precision) so sums print cleanly. */
export function runMoney(steps: readonly Pick<StepRecord, "usage" | "details">[]): StepMoney {
  let costUsd = 0;
  let savedUsd = 0;
  for (const step of steps) {
    const money = stepMoney(step);
    costUsd += money.costUsd;
    savedUsd += money.savedUsd;
  }
  return { costUsd: roundUsd(costUsd), savedUsd: roundUsd(savedUsd) };
}

export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function finite(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * SQL for the same totals per listed run, as a LATERAL subquery over the run's steps in its journal (whose
 * primary key leads with tenant and run, so this reads only the listed runs' journals).
 */
export const RUN_MONEY_LATERAL = `LEFT JOIN LATERAL (
         SELECT round(coalesce(sum(CASE WHEN jsonb_typeof(s.usage -> 'costUsd') = 'number'
                                        THEN (s.usage ->> 'costUsd')::numeric END), 0), 6)::float8 AS cost_usd,
                round(coalesce(sum(CASE WHEN jsonb_typeof(s.details -> 'savedUsd') = 'number'
                                        THEN (s.details ->> 'savedUsd')::numeric END), 0), 6)::float8 AS saved_usd
           FROM (SELECT 1) AS one ${journalStepsOf("runs")}
       ) money ON true`;
