// Run history: the workspace's live runs, newest first, filtered, one page at a time (keyset paging on the
// server's (created_at, id), so new runs arriving meanwhile never shift or repeat a page).
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link } from "wouter";
import { describeError, type WorkflowSummary } from "../api";
import { createRunsApi } from "../api/runs-api";
import type { RunCursor, RunFilter, RunSummary } from "../api/runs-types";
import { useApi } from "../app/api-context";
import { relativeTime } from "../workflows/relative-time";
import { RunFilters } from "./run-filters";
import { RunStatusBadge } from "./run-status-badge";
import "./runs.css";

export function RunsPage() {
  const api = useApi();
  const runsApi = useMemo(() => createRunsApi(api), [api]);
  const [workflows, setWorkflows] = useState<readonly WorkflowSummary[]>([]);
  const [filter, setFilter] = useState<RunFilter>({});
  const [items, setItems] = useState<readonly RunSummary[] | undefined>();
  const [next, setNext] = useState<RunCursor | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    api.listWorkflows().then(setWorkflows, () => undefined);
  }, [api]);

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
          <p className="fd-page-header__subtitle">
            Every conversation and call your published flows handled, newest first.
          </p>
        </div>
        <button type="button" className="fd-button" onClick={() => void load(filter)}>
          Refresh
        </button>
      </header>
      <RunFilters workflows={workflows} initial={filter} onApply={setFilter} />
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
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Channel</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id} data-testid="run-row">
                  <td title={new Date(run.createdAt).toLocaleString()}>
                    <Link href={`/runs/${run.id}`} className="fd-runs__link">
                      {relativeTime(run.createdAt)}
                      <span className="fd-visually-hidden"> — open run {run.id}</span>
                    </Link>
                  </td>
                  <td>
                    {run.workflowName}
                    <span className="fd-muted">
                      {" "}
                      {run.workflowVersion === null ? "draft" : `v${run.workflowVersion}`}
                    </span>
                  </td>
                  <td>
                    <RunStatusBadge status={run.status} />
                  </td>
                  <td className="fd-runs__channel">{run.channel}</td>
                  <td>${run.costUsd.toFixed(4)}</td>
                </tr>
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
