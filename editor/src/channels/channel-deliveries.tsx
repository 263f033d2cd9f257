// A webhook channel's outbound deliveries (GET /channels/:id/deliveries): totals, the last error, and the messages
// still owed or given up. A failing channel says so at the top of its card, since its customers are not getting
// the bot's replies. Once the receiver is fixed, admins send given-up messages again from here: a day of retries
// still ends, and a reply should not be lost because the receiver came back on day two.
import { useId, useState } from "react";
import type { Role } from "../api";
import { useSession } from "../app/api-context";
import { canInvite } from "../app/roles";
import type { WorkspaceApi } from "../api/workspace-api";
import type { ChannelDeliveries as Deliveries } from "../api/workspace-types";
import { relativeTime } from "../workflows/relative-time";
import "./channel-deliveries.css";
import { gaveUpText, givenUpCount, retriedText, retryErrorText } from "./delivery-texts";
import { useChannelDeliveries } from "./use-channel-deliveries";

const STATUS_LABELS = { pending: "Waiting", retrying: "Retrying", "given-up": "Given up" } as const;

/** What a retry came to, shown until the next one. */
export type RetryOutcome = { readonly ok: boolean; readonly text: string };

export function ChannelDeliveries({
  channelId,
  workspace,
}: {
  readonly channelId: string;
  readonly workspace: WorkspaceApi;
}) {
  const role: Role | undefined = useSession()?.tenant.role;
  const { deliveries, error, refreshError, refresh } = useChannelDeliveries(workspace, channelId);
  // "all", one delivery's id, or nothing in flight.
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<RetryOutcome>();

  async function retry(ids?: readonly string[]) {
    setBusy(ids ? ids[0] : "all");
    setOutcome(undefined);
    try {
      const answer = await workspace.retryDeliveries(channelId, ids);
      setOutcome({ ok: true, text: retriedText(answer.retried) });
    } catch (caught) {
      setOutcome({ ok: false, text: retryErrorText(caught) });
    } finally {
      // Either way the list changed under us (retried now, or delivered/retried by someone else meanwhile).
      await refresh();
      setBusy(undefined);
    }
  }

  if (error) return <p className="fd-muted">Deliveries could not be read: {error}</p>;
  if (!deliveries) return null;
  return (
    <DeliveriesCard
      deliveries={deliveries}
      canRetry={canInvite(role)}
      busy={busy}
      outcome={outcome}
      refreshError={refreshError}
      onRetry={(ids) => void retry(ids)}
    />
  );
}

/** The card itself, from props only (rendered under Node in editor/test/channels/channel-deliveries.test.tsx). */
export function DeliveriesCard({
  deliveries,
  canRetry,
  busy,
  outcome,
  refreshError,
  onRetry,
  nowMs,
}: {
  readonly deliveries: Deliveries;
  /** Admins and owners: the server refuses anyone else (server/src/webhooks/delivery-routes.ts). */
  readonly canRetry: boolean;
  readonly busy?: string | undefined;
  readonly outcome?: RetryOutcome | undefined;
  readonly refreshError?: string | undefined;
  readonly onRetry: (ids?: readonly string[]) => void;
  /** The clock relative times count from (tests fix it); now when absent. */
  readonly nowMs?: number;
}) {
  const id = useId();
  const { health, lastError, lastErrorAt } = deliveries;
  const givenUp = givenUpCount(deliveries);
  const retryable = canRetry && givenUp > 0;
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
          {lastError
            ? ` Last error${lastErrorAt ? ` ${relativeTime(lastErrorAt, nowMs)}` : ""}: ${lastError}`
            : ""}
        </p>
      ) : null}
      <p className="fd-muted">
        {deliveries.deliveredTotal} delivered
        {deliveries.lastDeliveredAt
          ? ` (last ${relativeTime(deliveries.lastDeliveredAt, nowMs)})`
          : ""} · {deliveries.failedAttemptsTotal} failed attempts · {deliveries.givenUpTotal} given up
      </p>
      {refreshError ? (
        <p className="fd-muted" data-testid="deliveries-stale">
          Could not refresh, showing the last record: {refreshError}
        </p>
      ) : null}
      {retryable ? (
        <div className="fd-row">
          <button type="button" className="fd-button" disabled={busy !== undefined} onClick={() => onRetry()}>
            {busy === "all" ? "Retrying…" : "Retry all given-up messages"}
          </button>
          <span className="fd-muted">
            {givenUp === 1 ? "1 message was" : `${givenUp} messages were`} given up after a day of retries.
            Send them again once your endpoint works.
          </span>
        </div>
      ) : null}
      <div aria-live="polite">
        {outcome ? (
          <p
            className={`fd-alert fd-channel__deliveries-outcome ${outcome.ok ? "fd-alert--info" : "fd-alert--error"}`}
            data-testid="deliveries-retry-outcome"
          >
            {outcome.text}
          </p>
        ) : null}
      </div>
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
                {retryable ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {deliveries.items.map((item) => (
                <tr key={item.id}>
                  <td>
                    {STATUS_LABELS[item.status]}
                    {item.givenUpAt ? (
                      <>
                        {" "}
                        <time
                          className="fd-muted"
                          dateTime={item.givenUpAt}
                          title={new Date(item.givenUpAt).toLocaleString()}
                        >
                          ({gaveUpText(item.givenUpAt, nowMs)})
                        </time>
                      </>
                    ) : null}
                  </td>
                  <td>{item.attempts}</td>
                  <td>{item.lastError ?? "—"}</td>
                  <td>{item.nextAttemptAt ? relativeTime(item.nextAttemptAt, nowMs) : "—"}</td>
                  <td>
                    <code>{item.conversationId}</code>
                  </td>
                  {retryable ? (
                    <td>
                      {item.status === "given-up" ? (
                        <button
                          type="button"
                          className="fd-button fd-button--small"
                          disabled={busy !== undefined}
                          aria-label={`Retry message ${item.messageId}`}
                          onClick={() => onRetry([item.id])}
                        >
                          {busy === item.id ? "Retrying…" : "Retry"}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
