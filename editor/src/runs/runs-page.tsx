// Run history: the workspace's live runs, newest first, filtered, one page at a time (keyset paging on the
// server's (created_at, id), so new runs arriving meanwhile never shift or repeat a page). Editor test runs
// are left out until the filter asks for them; channels are shown by name. Each row shows the message that
// started the run and opens it on a click anywhere (run-row.tsx).
import { useCallback, useEffect, useMemo, useState } from "react";
import { describeError, type WorkflowSummary } from "../api";
import { createRunsApi } from "../api/runs-api";
import type { RunCursor, RunFilter, RunSummary } from "../api/runs-types";
import { createWorkspaceApi } from "../api/workspace-api";
import type { Channel } from "../api/workspace-types";
import { useApi, useSession } from "../app/api-context";
import { canInvite } from "../app/roles";
import { channelOptions } from "./channel-options";
import { DEFAULT_RUN_FILTER, RunFilters } from "./run-filters";
import { RunRow } from "./run-row";
import "./runs.css";
import { usePageTitle } from "../ui/use-page-title";

export function RunsPage() {
  usePageTitle("Runs");
  const api = useApi();
  const runsApi = useMemo(() => createRunsApi(api), [api]);
  const [workflows, setWorkflows] = useState<readonly WorkflowSummary[]>([]);
  const session = useSession();
  const mayListChannels = canInvite(session?.tenant.role);
  const [channels, setChannels] = useState<readonly Channel[]>([]);
  const [filter, setFilter] = useState<RunFilter>(DEFAULT_RUN_FILTER);
  const [items, setItems] = useState<readonly RunSummary[] | undefined>();
  const [next, setNext] = useState<RunCursor | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    api.listWorkflows().then(setWorkflows, () => undefined);
  }, [api]);

  useEffect(() => {
    // GET /channels is for admins and owners; the others filter by the channels their runs name.
    if (mayListChannels)
      createWorkspaceApi(api)
        .listChannels()
        .then(setChannels, () => undefined);
  }, [api, mayListChannels]);
  const channelChoices = useMemo(() => channelOptions(channels, items ?? []), [channels, items]);

  const load = useCallback(
    (wanted: RunFilter) =>
      runsApi.listRuns(wanted).then(
        (page) => {
          setItems(page.items);
          setNext(page.next);
          setError(undefined);
        },
        (failure: unknown) => setError(describeError(failure)),
      ),
    [runsApi],
  );

  useEffect(() => {
    void load(filter);
  }, [load, filter]);

  async function more() {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await runsApi.listRuns(filter, next);
      setItems((current) => [...(current ?? []), ...page.items]);
      setNext(page.next);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="fd-page fd-runs">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Runs</h1>
          <p className="fd-page-header__subtitle" data-testid="runs-subtitle">
            {filter.channel === "test"
              ? "Test runs started from the editor, newest first."
              : filter.testRuns === "exclude"
                ? "Every conversation and call your published flows handled, newest first. Editor test runs are not listed."
                : "Every conversation and call your flows handled, editor test runs included, newest first."}
          </p>
        </div>
        <button type="button" className="fd-button" onClick={() => void load(filter)}>
          Refresh
        </button>
      </header>
      <RunFilters workflows={workflows} channels={channelChoices} initial={filter} onApply={setFilter} />
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {items === undefined ? (
        <p className="fd-muted" role="status">
          Loading runs…
        </p>
      ) : items.length === 0 ? (
        <p className="fd-muted" data-testid="runs-empty">
          No run matches these filters.
        </p>
      ) : (
        <div className="fd-card fd-table-card">
          <table className="fd-table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Message</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Channel</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <RunRow key={run.id} run={run} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <button
          type="button"
          className="fd-button fd-runs__more"
          onClick={() => void more()}
          disabled={loadingMore}
          data-testid="runs-more"
        >
          {loadingMore ? "Loading…" : "Show older runs"}
        </button>
      ) : null}
    </div>
  );
}
