// The history's filters: status, workflow, version, channel, a start time and whether editor test runs are
// listed. Applied on submit, so typing a version number does not fire a request per key.
import { useState, type FormEvent } from "react";
import type { WorkflowSummary } from "../api";
import { RUN_STATUSES, type RunFilter } from "../api/runs-types";
import { TEST_CHANNEL } from "./channel-label";

/** A channel the list can be filtered by: `value` is what runs store (`web:<id>`), `label` what people read. */
export interface ChannelOption {
  readonly value: string;
  readonly label: string;
}

/** Live runs only until someone asks for test runs: the page is about what customers and systems started. */
export const DEFAULT_RUN_FILTER: RunFilter = { testRuns: "exclude" };

export function filterFrom(fields: {
  status: string;
  workflow: string;
  version: string;
  channel: string;
  since: string;
  includeTests: boolean;
}): RunFilter {
  const n = Number(fields.version);
  const testChannel = fields.channel === TEST_CHANNEL;
  return {
    ...(fields.status ? { status: fields.status } : {}),
    ...(fields.workflow ? { workflow: fields.workflow } : {}),
    ...(fields.version && Number.isInteger(n) && n > 0 ? { version: n } : {}),
    ...(fields.channel ? { channel: fields.channel } : {}),
    // Asking for the test channel is asking for test runs, whatever the box says.
    ...(fields.includeTests || testChannel ? {} : { testRuns: "exclude" as const }),
    // datetime-local is the browser's local time; the API wants an instant.
    ...(fields.since ? { since: new Date(fields.since).toISOString() } : {}),
  };
}

export function RunFilters({
  workflows,
  channels,
  initial,
  onApply,
}: {
  workflows: readonly WorkflowSummary[];
  channels: readonly ChannelOption[];
  initial: RunFilter;
  onApply: (filter: RunFilter) => void;
}) {
  const [status, setStatus] = useState(initial.status ?? "");
  const [workflow, setWorkflow] = useState(initial.workflow ?? "");
  const [version, setVersion] = useState(initial.version === undefined ? "" : String(initial.version));
  const [channel, setChannel] = useState(initial.channel ?? "");
  const [since, setSince] = useState("");
  const [includeTests, setIncludeTests] = useState(initial.testRuns !== "exclude");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filterFrom({ status, workflow, version, channel, since, includeTests }));
  };
  const known = channels.some((c) => c.value === channel) || ["", "api", TEST_CHANNEL].includes(channel);
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
          type="number"
          min={1}
          step={1}
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="Any"
          data-testid="filter-version"
        />
      </label>
      <label className="fd-field">
        <span className="fd-field__label">Channel</span>
        <select
          className="fd-select"
          value={channel}
          onChange={(e) => setChannel(e.target.value)}
          data-testid="filter-channel"
        >
          <option value="">Any</option>
          {channels.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          {known ? null : <option value={channel}>{channel}</option>}
          <option value="api">API</option>
          <option value={TEST_CHANNEL}>Editor test runs</option>
        </select>
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
      <label className="fd-runs__include-tests">
        <input
          type="checkbox"
          checked={includeTests || channel === TEST_CHANNEL}
          disabled={channel === TEST_CHANNEL}
          onChange={(e) => setIncludeTests(e.target.checked)}
          data-testid="filter-include-tests"
        />
        Include editor test runs
      </label>
      <button type="submit" className="fd-button fd-button--primary" data-testid="filter-apply">
        Apply
      </button>
    </form>
  );
}
