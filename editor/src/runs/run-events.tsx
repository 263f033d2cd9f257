// The run's event log as a table, with each step's result beside its step event.
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

export function RunEvents({ run }: { run: RunDetail }) {
  // Token events are the streamed reply, already whole in message.sent; started steps repeat their completion.
  const events = run.events.filter((e) => SHOWN.has(e.type));
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
          {events.map((event) => (
            <tr key={event.seq}>
              <td>{event.seq}</td>
              <td>{new Date(event.at).toLocaleTimeString()}</td>
              <td>
                <code>{event.type}</code>
              </td>
              <td className="fd-run__detail">{summary(event)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
