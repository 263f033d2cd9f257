// The workspace's plan, its limits and what is used of them this month.
import { useEffect, useState } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { CurrentTenant } from "../api/workspace-types";

const number = new Intl.NumberFormat("en");

function Meter({ label, used, limit }: { label: string; used: number; limit: number | null }) {
  return (
    <div className="fd-meter">
      <span>
        <strong>{label}</strong>: {number.format(used)}{" "}
        {limit === null ? "(unlimited)" : `of ${number.format(limit)}`}
      </span>
      {limit === null ? null : <progress max={limit} value={Math.min(used, limit)} aria-label={label} />}
    </div>
  );
}

export function PlanUsageSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const [tenant, setTenant] = useState<CurrentTenant>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    workspace.currentTenant().then(setTenant, (caught: unknown) => setError(describeError(caught)));
  }, [workspace]);

  return (
    <section className="fd-card" aria-labelledby="plan-title">
      <h2 id="plan-title" className="fd-section-title">
        Plan and usage
      </h2>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {tenant ? (
        <>
          <p data-testid="plan-name">
            <strong>{tenant.plan.charAt(0).toUpperCase() + tenant.plan.slice(1)}</strong> plan ·{" "}
            {tenant.limits.messagesPerMinute === null
              ? "unlimited customer messages"
              : `${number.format(tenant.limits.messagesPerMinute)} customer messages per minute`}{" "}
            · {tenant.limits.concurrentRuns} runs at once · run history kept{" "}
            {number.format(tenant.limits.runHistoryDays)} days
          </p>
          <div className="fd-settings__grid">
            <Meter
              label="Runs this month"
              used={tenant.usage.runsThisMonth}
              limit={tenant.limits.runsPerMonth}
            />
            <Meter label="Seats" used={tenant.usage.seats} limit={tenant.limits.seats} />
            <Meter label="Workflows" used={tenant.usage.workflows} limit={tenant.limits.workflows} />
          </div>
        </>
      ) : null}
    </section>
  );
}
