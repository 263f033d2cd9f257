// Insights (`/insights`; `/analytics/…` belongs to the API): how the bot is doing with customers — runs per day,
// how conversations ended (the End node's outcome; a handed-off run counts as a handoff), what the router decided
// locally and what that saved, model tokens and cost, lead conversion; filtered by period, workflow and version.
// The editor's test runs are staff trying a flow: left out unless the toggle asks for them.
// Loaded lazily, with its chart library, so the first page of the app stays small.
import { useEffect, useId, useMemo, useState } from "react";
import { describeError } from "../api";
import { useApi } from "../app/api-context";
import { loadInsights, type Insights, type InsightsFilter } from "./insights-api";
import { InsightsTiles } from "./insights-tiles";
import { TimeSeriesChart, type ChartSeries } from "./time-series-chart";
import { WorkflowOutcomesTable } from "./workflow-outcomes-table";
import "./insights.css";
import { usd } from "./insights-format";
import { usePageTitle } from "../ui/use-page-title";

const PERIODS = [7, 30, 90] as const;
const COLORS = {
  blue: "#2563eb",
  green: "#15803d",
  amber: "#b45309",
  red: "#b91c1c",
  violet: "#7c3aed",
  slate: "#475569",
};

export function InsightsPage() {
  usePageTitle("Insights");
  const api = useApi();
  const id = useId();
  const [filter, setFilter] = useState<InsightsFilter>({ days: 30 });
  const [insights, setInsights] = useState<Insights>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    loadInsights(api, filter).then(
      (loaded) => {
        if (!live) return;
        setInsights(loaded);
        setError(undefined);
      },
      (caught: unknown) => live && setError(describeError(caught)),
    );
    return () => {
      live = false;
    };
  }, [api, filter]);

  const charts = useMemo(() => (insights ? chartsOf(insights) : undefined), [insights]);
  const workflows = useMemo(
    () => [...new Set((insights?.workflows.items ?? []).map((item) => item.workflow))].sort(),
    [insights],
  );
  const versions = useMemo(
    () =>
      (insights?.workflows.items ?? [])
        .filter((item) => item.workflow === filter.workflow && item.version !== null)
        .map((item) => item.version!)
        .sort((a, b) => b - a),
    [insights, filter.workflow],
  );

  return (
    <div className="fd-page fd-insights">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Insights</h1>
          <p className="fd-page-header__subtitle" data-testid="insights-source">
            {filter.includeTests
              ? "How your flows are doing, from customers' runs and the editor's test runs."
              : "How your flows are doing with customers, from live runs only: editor test runs are left out."}{" "}
            Days are UTC calendar days.
          </p>
        </div>
      </header>
      <form
        className="fd-insights__filters"
        aria-label="Filters"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="fd-field">
          <label className="fd-field__label" htmlFor={`${id}-days`}>
            Period
          </label>
          <select
            id={`${id}-days`}
            className="fd-select"
            value={filter.days}
            onChange={(event) => setFilter({ ...filter, days: Number(event.target.value) })}
          >
            {PERIODS.map((days) => (
              <option key={days} value={days}>
                Last {days} days
              </option>
            ))}
          </select>
        </div>
        <div className="fd-field">
          <label className="fd-field__label" htmlFor={`${id}-workflow`}>
            Workflow
          </label>
          <select
            id={`${id}-workflow`}
            className="fd-select"
            value={filter.workflow ?? ""}
            onChange={(event) =>
              setFilter({
                days: filter.days,
                ...(filter.includeTests ? { includeTests: true } : {}),
                ...(event.target.value ? { workflow: event.target.value } : {}),
              })
            }
          >
            <option value="">All workflows</option>
            {workflows.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="fd-field">
          <label className="fd-field__label" htmlFor={`${id}-version`}>
            Version
          </label>
          <select
            id={`${id}-version`}
            className="fd-select"
            disabled={!filter.workflow}
            value={filter.version ?? ""}
            onChange={(event) => {
              const { version: _dropped, ...rest } = filter;
              setFilter(event.target.value ? { ...rest, version: Number(event.target.value) } : rest);
            }}
          >
            <option value="">All versions</option>
            {versions.map((version) => (
              <option key={version} value={version}>
                v{version}
              </option>
            ))}
          </select>
        </div>
        <label className="fd-insights__toggle">
          <input
            type="checkbox"
            checked={filter.includeTests === true}
            onChange={(event) => {
              const { includeTests: _dropped, ...rest } = filter;
              setFilter(event.target.checked ? { ...rest, includeTests: true } : rest);
            }}
          />
          Include editor test runs
        </label>
      </form>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {!insights && !error ? (
        <p className="fd-loading" role="status">
          Reading your runs…
        </p>
      ) : null}
      {insights && charts ? (
        <>
          <InsightsTiles insights={insights} />
          <div className="fd-insights__charts">
            <TimeSeriesChart
              testId="chart-runs"
              title="Runs per day"
              description="Conversations started, by how they stand now."
              days={charts.days}
              series={charts.runs}
              unit="runs"
            />
            <TimeSeriesChart
              testId="chart-outcomes"
              title="Resolution and handoffs"
              description="How concluded runs ended: the End node's outcome; a run ever handed to a person is a handoff."
              days={charts.days}
              series={charts.outcomes}
              unit="runs"
            />
            <TimeSeriesChart
              testId="chart-router"
              title="Router decisions by tier"
              description="Local: decided on this server for free. Embeddings and model: a paid call decided."
              days={charts.days}
              series={charts.router}
              unit="decisions"
            />
            <TimeSeriesChart
              testId="chart-usage"
              title="Model tokens and cost"
              description="Tokens used by agents and routers per day, and their cost at the configured prices."
              days={charts.days}
              series={charts.usage}
              unit="tokens"
            />
          </div>
          <WorkflowOutcomesTable
            items={insights.workflows.items}
            includesTests={filter.includeTests === true}
          />
        </>
      ) : null}
    </div>
  );
}

function chartsOf(insights: Insights) {
  const days = insights.runs.items.map((item) => item.day);
  const pick = <T,>(items: readonly T[], key: (item: T) => number) => items.map(key);
  const runs: ChartSeries[] = [
    { label: "Completed", color: COLORS.green, values: pick(insights.runs.items, (i) => i.completed) },
    { label: "Handed off", color: COLORS.amber, values: pick(insights.runs.items, (i) => i.handoff) },
    { label: "Failed", color: COLORS.red, values: pick(insights.runs.items, (i) => i.failed) },
    { label: "Open", color: COLORS.slate, values: pick(insights.runs.items, (i) => i.open) },
  ];
  const outcomes: ChartSeries[] = [
    { label: "Resolved", color: COLORS.green, values: pick(insights.resolution.items, (i) => i.resolved) },
    {
      label: "Unresolved or escalated",
      color: COLORS.violet,
      values: pick(insights.resolution.items, (i) => i.unresolved + i.escalated),
    },
    { label: "Handoff", color: COLORS.amber, values: pick(insights.resolution.items, (i) => i.handoff) },
    { label: "Failed", color: COLORS.red, values: pick(insights.resolution.items, (i) => i.failed) },
  ];
  const router: ChartSeries[] = [
    { label: "Local", color: COLORS.green, values: pick(insights.router.items, (i) => i.local) },
    { label: "Embeddings", color: COLORS.blue, values: pick(insights.router.items, (i) => i.embeddings) },
    { label: "Model", color: COLORS.amber, values: pick(insights.router.items, (i) => i.llm) },
  ];
  const usage: ChartSeries[] = [
    { label: "Tokens", color: COLORS.blue, values: pick(insights.usage.items, (i) => i.totalTokens) },
    {
      label: "Cost",
      color: COLORS.red,
      values: pick(insights.usage.items, (i) => i.costUsd),
      rightAxis: true,
      format: usd,
    },
    {
      label: "Saved by local routing",
      color: COLORS.green,
      values: pick(insights.usage.items, (i) => i.savedUsd),
      rightAxis: true,
      format: usd,
    },
  ];
  return { days, runs, outcomes, router, usage };
}
