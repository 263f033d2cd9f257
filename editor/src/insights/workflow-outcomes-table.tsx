// Outcomes per workflow and version: which flow (and which of its versions) resolves, hands off or fails.
import type { WorkflowOutcomes } from "./insights-api";
import { percent } from "./insights-format";

export function WorkflowOutcomesTable({ items }: { readonly items: readonly WorkflowOutcomes[] }) {
  return (
    <section className="fd-card" aria-labelledby="insights-workflows-title">
      <h2 id="insights-workflows-title" className="fd-section-title">
        By workflow and version
      </h2>
      {items.length === 0 ? (
        <p className="fd-muted">
          No live runs in this period yet. Publish a flow and put a channel on your site.
        </p>
      ) : (
        <table className="fd-table" data-testid="workflow-outcomes">
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
                <td>{item.version === null ? "draft" : `v${item.version}`}</td>
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
