// A webhook channel's outbound deliveries (GET /channels/:id/deliveries): totals, the last error, and the messages
// still owed or given up. A failing channel says so at the top of its card, since its customers are not getting
// the bot's replies.
import { useEffect, useId, useState } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { ChannelDeliveries as Deliveries } from "../api/workspace-types";
import { relativeTime } from "../workflows/relative-time";

const STATUS_LABELS = { pending: "Waiting", retrying: "Retrying", "given-up": "Given up" } as const;

export function ChannelDeliveries({
  channelId,
  workspace,
}: {
  readonly channelId: string;
  readonly workspace: WorkspaceApi;
}) {
  const id = useId();
  const [deliveries, setDeliveries] = useState<Deliveries>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    workspace
      .channelDeliveries(channelId)
      .then(setDeliveries, (caught: unknown) => setError(describeError(caught)));
  }, [workspace, channelId]);

  if (error) return <p className="fd-muted">Deliveries could not be read: {error}</p>;
  if (!deliveries) return null;
  const { health, lastError, lastErrorAt } = deliveries;
  return (
    <div className="fd-channel__deliveries" data-testid="channel-deliveries" data-health={health}>
      {health !== "ok" ? (
        <p
          className={`fd-alert ${health === "failing" ? "fd-alert--error" : "fd-alert--warning"}`}
          role="alert"
        >
          {health === "failing"
            ? "Replies are not reaching your endpoint."
            : "Some replies are waiting to be retried."}
          {lastError ? ` Last error${lastErrorAt ? ` ${relativeTime(lastErrorAt)}` : ""}: ${lastError}` : ""}
        </p>
      ) : null}
      <p className="fd-muted">
        {deliveries.deliveredTotal} delivered
        {deliveries.lastDeliveredAt ? ` (last ${relativeTime(deliveries.lastDeliveredAt)})` : ""} ·{" "}
        {deliveries.failedAttemptsTotal} failed attempts · {deliveries.givenUpTotal} given up
      </p>
      {deliveries.items.length > 0 ? (
        <details>
          <summary>Messages owed or given up ({deliveries.items.length})</summary>
          <table className="fd-table" aria-labelledby={`${id}-caption`}>
            <caption id={`${id}-caption`} className="fd-visually-hidden">
              Outbound deliveries still owed or given up
            </caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Conversation</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.items.map((item) => (
                <tr key={item.id}>
                  <td>{STATUS_LABELS[item.status]}</td>
                  <td>{item.attempts}</td>
                  <td>{item.lastError ?? "—"}</td>
                  <td>{item.nextAttemptAt ? relativeTime(item.nextAttemptAt) : "—"}</td>
                  <td>
                    <code>{item.conversationId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
