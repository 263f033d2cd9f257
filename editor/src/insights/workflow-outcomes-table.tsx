// Outcomes per workflow and version: which flow (and which of its versions) resolves, hands off or fails.
import type { WorkflowOutcomes } from "./insights-api";
import { percent } from "./insights-format";

/**
 * A row's version. Only the editor's test runs run a draft, so the draft row appears only with them included;
 * it says where its runs came from, since "draft" alone read like a version customers were getting.
 */
export const versionLabel = (version: number | null) =>
  version === null ? "Draft (editor test runs)" : `v${version}`;

export function WorkflowOutcomesTable({
  items,
  includesTests,
}: {
  readonly items: readonly WorkflowOutcomes[];
  readonly includesTests: boolean;
}) {
  return (
    <section className="fd-card fd-insights__by-workflow" aria-labelledby="insights-workflows-title">
      <h2 id="insights-workflows-title" className="fd-section-title">
        By workflow and version
      </h2>
      {items.length === 0 ? (
        <p className="fd-muted">
          {includesTests
            ? "No runs in this period yet."
            : "No live runs in this period yet. Publish a flow and put a channel on your site."}
        </p>
      ) : (
        <table className="fd-table fd-insights__workflows" data-testid="workflow-outcomes">
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col">Version</th>
              <th scope="col">Runs</th>
              <th scope="col">Resolved</th>
              <th scope="col">Handoff</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.workflow}:${item.version ?? "draft"}`}>
                <th scope="row">{item.workflow}</th>
                <td>{versionLabel(item.version)}</td>
                <td>{item.runs}</td>
                <td>{percent(item.resolutionRate)}</td>
                <td>
                  {percent(item.handoffRate)} ({item.handoff})
                </td>
                <td>{percent(item.failureRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
