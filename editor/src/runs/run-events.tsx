// The run's event log as a table, with each step's result beside its step event; a step's events open its detail.
import type { RunDetail, RunEventRecord } from "../api/runs-types";

const SHOWN = new Set([
  "run.started",
  "run.resumed",
  "step.completed",
  "step.failed",
  "step.retrying",
  "tool.refused",
  "condition.failed",
  "message.received",
  "message.sent",
  "run.waiting",
  "run.handoff",
  "run.completed",
  "run.failed",
  "run.cancelled",
]);

function summary(event: RunEventRecord): string {
  const d = event.data;
  const parts: string[] = [];
  if (typeof d.node === "string") parts.push(d.node);
  if (typeof d.port === "string" && d.port !== "out") parts.push(`→ ${d.port}`);
  if (typeof d.text === "string") parts.push(`“${d.text.length > 90 ? `${d.text.slice(0, 89)}…` : d.text}”`);
  const error = d.error as { code?: string; message?: string } | undefined;
  if (error?.code) parts.push(`${error.code} ${error.message ?? ""}`);
  return parts.join(" ");
}

/** The stored step an event belongs to, when there is one to show (a step still running has none yet). */
function stepIdOf(run: RunDetail, event: RunEventRecord): string | undefined {
  const id = event.data.stepId;
  return typeof id === "string" && run.steps.some((s) => s.stepId === id) ? id : undefined;
}

export function RunEvents({
  run,
  selectedStepId,
  onSelectStep,
}: {
  run: RunDetail;
  selectedStepId?: string | undefined;
  onSelectStep?: (stepId: string) => void;
}) {
  // Token events are the streamed reply, already whole in message.sent; started steps repeat their completion,
  // except a waiting one (an ask), whose record travels in its step.started.
  const events = run.events.filter(
    (e) => SHOWN.has(e.type) || (e.type === "step.started" && e.data.status === "waiting"),
  );
  return (
    <section className="fd-card fd-table-card fd-run__events" aria-labelledby="run-events-title">
      <h2 id="run-events-title" className="fd-section-title fd-run__events-title">
        Events ({events.length})
      </h2>
      <table className="fd-table" data-testid="run-events">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const stepId = stepIdOf(run, event);
            const selected = stepId !== undefined && stepId === selectedStepId;
            return (
              <tr
                key={event.seq}
                className={selected ? "fd-run__event--selected" : undefined}
                aria-current={selected ? "true" : undefined}
                data-testid={stepId ? "run-step-event" : undefined}
              >
                <td>{event.seq}</td>
                <td>{new Date(event.at).toLocaleTimeString()}</td>
                <td>
                  <code>{event.type}</code>
                </td>
                <td className="fd-run__detail">
                  {stepId && onSelectStep ? (
                    <button
                      type="button"
                      className="fd-run__step-link"
                      onClick={() => onSelectStep(stepId)}
                      aria-pressed={selected}
                    >
                      {summary(event) || "Show step"}
                      <span className="fd-visually-hidden"> — show this step</span>
                    </button>
                  ) : (
                    summary(event)
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
