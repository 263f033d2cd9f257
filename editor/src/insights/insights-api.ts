// The analytics routes the Insights page reads (server/src/analytics/), typed. Every route takes `days`; the
// run metrics also `workflow` (a name), `version` and `testRuns` (the server counts customers' runs only unless
// `testRuns=include` adds the editor's test runs).
import { ApiError, CLIENT_ERRORS } from "../api/api-error";
import type { FlowdeckApi } from "../api/flowdeck-api";

export interface InsightsFilter {
  readonly days: number;
  readonly workflow?: string;
  readonly version?: number;
  /** Count the editor's test runs too (`testRuns=include`); customers' runs only when absent. */
  readonly includeTests?: boolean;
}

interface Window {
  readonly days: number;
  readonly from: string;
  readonly to: string;
}

export interface RunsPerDay {
  readonly day: string;
  readonly total: number;
  readonly completed: number;
  readonly handoff: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly open: number;
}

export interface OutcomeRates {
  readonly concluded: number;
  readonly resolved: number;
  readonly unresolved: number;
  readonly escalated: number;
  readonly handoff: number;
  readonly failed: number;
  readonly resolutionRate: number | null;
  readonly handoffRate: number | null;
  readonly failureRate: number | null;
}

export interface OutcomeDay {
  readonly day: string;
  readonly resolved: number;
  readonly unresolved: number;
  readonly escalated: number;
  readonly handoff: number;
  readonly failed: number;
}

export interface WorkflowOutcomes extends OutcomeRates {
  readonly workflow: string;
  /** null: a draft, which only a test run runs. */
  readonly version: number | null;
  readonly runs: number;
}

export interface RouterDay {
  readonly day: string;
  readonly local: number;
  readonly embeddings: number;
  readonly llm: number;
  readonly other: number;
}

export interface UsageDay {
  readonly day: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  readonly costUsd: number;
  readonly savedUsd: number;
}

export interface Insights {
  readonly runs: Window & { readonly items: readonly RunsPerDay[] };
  readonly resolution: Window & OutcomeRates & { readonly items: readonly OutcomeDay[] };
  readonly workflows: Window & { readonly items: readonly WorkflowOutcomes[] };
  readonly router: Window & {
    readonly totals: {
      decisions: number;
      local: number;
      embeddings: number;
      llm: number;
      localRate: number | null;
    };
    readonly items: readonly RouterDay[];
  };
  readonly leads: Window & {
    readonly total: number;
    readonly byStatus: Readonly<Record<string, number>>;
    readonly conversionRate: number | null;
    readonly winRate: number | null;
  };
  readonly usage: Window & {
    readonly totals: { totalTokens: number; costUsd: number; savedUsd: number };
    readonly items: readonly UsageDay[];
  };
}

type Source = Pick<FlowdeckApi, "baseUrl" | "accessToken">;

/** The query strings of one filter: `leads` for routes about leads, `runs` and `workflows` for the run metrics. */
export function insightsQueries(filter: InsightsFilter) {
  const leads = new URLSearchParams({ days: String(filter.days) });
  // A lead keeps the run that captured it, so the toggle applies to leads too; a lead has no workflow to filter by.
  if (filter.includeTests) leads.set("testRuns", "include");
  const workflows = new URLSearchParams(leads);
  const runs = new URLSearchParams(workflows);
  if (filter.workflow) runs.set("workflow", filter.workflow);
  if (filter.version) runs.set("version", String(filter.version));
  return { leads, runs, workflows };
}

/** All of the page's numbers for one filter, read in parallel. */
export async function loadInsights(source: Source, filter: InsightsFilter): Promise<Insights> {
  const queries = insightsQueries(filter);
  const token = await source.accessToken();
  const get = async <T>(path: string, params: URLSearchParams): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${source.baseUrl}${path}?${params.toString()}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    } catch {
      throw new ApiError(0, { code: "FD600", ...CLIENT_ERRORS.FD600 });
    }
    const json = (await response.json().catch(() => undefined)) as
      (T & { error?: { code: string; message: string; hint?: string } }) | undefined;
    if (json === undefined) throw new ApiError(response.status, { code: "FD601", ...CLIENT_ERRORS.FD601 });
    if (!response.ok)
      throw new ApiError(response.status, json.error ?? { code: "FD601", ...CLIENT_ERRORS.FD601 });
    return json;
  };
  // The workflow list for the filter ignores the filter itself, so every workflow stays selectable.
  const [runs, resolution, workflows, router, leads, usage] = await Promise.all([
    get<Insights["runs"]>("/analytics/runs", queries.runs),
    get<Insights["resolution"]>("/analytics/resolution", queries.runs),
    get<Insights["workflows"]>("/analytics/workflows", queries.workflows),
    get<Insights["router"]>("/analytics/router", queries.runs),
    get<Insights["leads"]>("/analytics/leads", queries.leads),
    get<Insights["usage"]>("/analytics/usage", queries.runs),
  ]);
  return { runs, resolution, workflows, router, leads, usage };
}
