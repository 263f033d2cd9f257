// The page's headline numbers for the period: runs, resolution, handoff and failure rates, model cost and what
// local routing saved, lead conversion.
import type { Insights } from "./insights-api";
import { percent, usd } from "./insights-format";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function InsightsTiles({ insights }: { readonly insights: Insights }) {
  const { resolution, usage, router, leads } = insights;
  const runs = insights.runs.items.reduce((sum, item) => sum + item.total, 0);
  const tiles = [
    { label: "Runs", value: String(runs), detail: `${resolution.concluded} concluded` },
    {
      label: "Resolved by the bot",
      value: percent(resolution.resolutionRate),
      detail: count(resolution.resolved, "run", "runs"),
    },
    {
      label: "Handed to a person",
      value: percent(resolution.handoffRate),
      detail: count(resolution.handoff, "run", "runs"),
    },
    {
      label: "Failed",
      value: percent(resolution.failureRate),
      detail: count(resolution.failed, "run", "runs"),
    },
    {
      label: "Decided locally",
      value: percent(router.totals.localRate),
      detail: count(router.totals.decisions, "router decision", "router decisions"),
    },
    {
      label: "Model cost",
      value: usd(usage.totals.costUsd),
      detail: count(usage.totals.totalTokens, "token", "tokens"),
    },
    {
      label: "Saved by local routing",
      value: usd(usage.totals.savedUsd),
      detail: "at the configured prices",
    },
    {
      label: "Lead conversion",
      value: percent(leads.conversionRate),
      detail: count(leads.total, "lead", "leads"),
    },
  ];
  return (
    <ul className="fd-insights__tiles" aria-label="Summary">
      {tiles.map((tile) => (
        <li key={tile.label} className="fd-card fd-tile" data-testid={`tile-${tile.label}`}>
          <span className="fd-tile__label">{tile.label}</span>
          <span className="fd-tile__value">{tile.value}</span>
          <span className="fd-muted">{tile.detail}</span>
        </li>
      ))}
    </ul>
  );
}
