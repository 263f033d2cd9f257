import { journalStepsOf, type Sql } from "@flowdeck/runtime";
import {
  bounds,
  DAY,
  ratio,
  runFilter,
  runParams,
  SINCE,
  WINDOW,
  type AnalyticsWindow,
} from "./analytics-window";

export interface RouterTierDay {
  readonly day: string;
  /** The local classifier decided: no model call. */
  readonly local: number;
  /** The local classifier was unsure and the intents' embeddings decided (one cheap embeddings call). */
  readonly embeddings: number;
  /** The local classifier was unsure and a model decided. */
  readonly llm: number;
  /** Router steps whose tier was none of these (a fallback, or a step from before tiers were recorded). */
  readonly other: number;
}

/**
 * Router decisions per day by the tier that decided (`details.tier` of each router step, the node's output
 * as a fallback), dated by when the step finished; live runs only. The share decided locally is what the
 * router saves (issue 16's savedUsd is its price).
 */
export async function routerTiers(sql: Sql, window: AnalyticsWindow) {
  const range = await bounds(sql, window.days);
  const { rows } = await sql.query<RouterTierDay>(
    `${WINDOW}, decided AS (
       SELECT ${DAY("s.finished_at")} AS day, coalesce(s.details->>'tier', s.output->>'tier') AS tier
         FROM runs r ${journalStepsOf("r")}
        WHERE s.node_type = 'router' AND s.status = 'completed' AND r.updated_at >= ${SINCE}
          AND s.finished_at >= ${SINCE} AND ${runFilter("r", window.testRuns)}
     )
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
            count(d.day) FILTER (WHERE d.tier = 'local')::int AS local,
            count(d.day) FILTER (WHERE d.tier = 'embeddings')::int AS embeddings,
            count(d.day) FILTER (WHERE d.tier = 'llm')::int AS llm,
            count(d.day) FILTER (WHERE d.tier IS NULL OR d.tier NOT IN ('local', 'embeddings', 'llm'))::int AS other
       FROM days LEFT JOIN decided d ON d.day = days.day
      GROUP BY days.day ORDER BY days.day`,
    runParams(window, range),
  );
  const total = (key: "local" | "embeddings" | "llm" | "other") =>
    rows.reduce((sum, row) => sum + row[key], 0);
  const local = total("local");
  const embeddings = total("embeddings");
  const llm = total("llm");
  const other = total("other");
  const decisions = local + embeddings + llm + other;
  return {
    ...range,
    totals: {
      decisions,
      local,
      embeddings,
      llm,
      other,
      localRate: ratio(local, decisions),
    },
    items: rows,
  };
}
