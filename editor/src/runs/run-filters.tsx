// The history's filters: status, workflow, version, channel and a start time. Applied on submit, so typing a
// version number does not fire a request per key.
import { useState, type FormEvent } from "react";
import type { WorkflowSummary } from "../api";
import { RUN_STATUSES, type RunFilter } from "../api/runs-types";

export function RunFilters({
  workflows,
  initial,
  onApply,
}: {
  workflows: readonly WorkflowSummary[];
  initial: RunFilter;
  onApply: (filter: RunFilter) => void;
}) {
  const [status, setStatus] = useState(initial.status ?? "");
  const [workflow, setWorkflow] = useState(initial.workflow ?? "");
  const [version, setVersion] = useState(initial.version === undefined ? "" : String(initial.version));
  const [channel, setChannel] = useState(initial.channel ?? "");
  const [since, setSince] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(version);
    onApply({
      ...(status ? { status } : {}),
      ...(workflow ? { workflow } : {}),
      ...(version && Number.isInteger(n) && n > 0 ? { version: n } : {}),
      ...(channel.trim() ? { channel: channel.trim() } : {}),
      // datetime-local is the browser's local time; the API wants an instant.
      ...(since ? { since: new Date(since).toISOString() } : {}),
    });
  };
  return (
    <form className="fd-card fd-runs__filters" onSubmit={submit} aria-label="Filter runs">
      <label className="fd-field">
        <span className="fd-field__label">Status</span>
        <select
          className="fd-select"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          data-testid="filter-status"
        >
          <option value="">Any</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="fd-field">
        <span className="fd-field__label">Workflow</span>
        <select
          className="fd-select"
          value={workflow}
          onChange={(e) => setWorkflow(e.target.value)}
          data-testid="filter-workflow"
        >
          <option value="">Any</option>
          {workflows.map((w) => (
            <option key={w.id} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <label className="fd-field">
        <span className="fd-field__label">Version</span>
        <input
          className="fd-input"
          inputMode="numeric"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="Any"
          data-testid="filter-version"
        />
      </label>
      <label className="fd-field">
        <span className="fd-field__label">Channel</span>
        <input
          className="fd-input"
          value={channel}
          onChange={(e) => setChannel(e.target.value)}
          placeholder="web:…, api, test"
          data-testid="filter-channel"
        />
      </label>
      <label className="fd-field">
        <span className="fd-field__label">Since</span>
        <input
          className="fd-input"
          type="datetime-local"
          value={since}
          onChange={(e) => setSince(e.target.value)}
          data-testid="filter-since"
        />
      </label>
      <button type="submit" className="fd-button fd-button--primary" data-testid="filter-apply">
        Apply
      </button>
    </form>
  );
}
