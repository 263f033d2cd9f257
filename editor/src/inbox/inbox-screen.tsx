import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import {
  createInboxApi,
  InboxApiError,
  type InboxApiOptions,
  type InboxConversation,
  type WaitingConversation,
} from "./inbox-api";
import { sendableText } from "./reply-text";

export interface InboxScreenProps extends InboxApiOptions {
  /** How often the list and the open conversation are refreshed. Default 3,000 ms. */
  readonly pollIntervalMs?: number;
}

/**
 * The human handoff inbox: conversations waiting for a person (oldest first), the open one's transcript and
 * run trace, a reply box (the customer receives the answer on their own channel) and the hand-back buttons.
 * Polls; a live feed can replace it later without changing the layout.
 */
export function InboxScreen({ baseUrl, accessToken, pollIntervalMs = 3_000 }: InboxScreenProps) {
  const apiRef = useRef(createInboxApi({ baseUrl, accessToken }));
  const api = apiRef.current;
  const [items, setItems] = useState<readonly WaitingConversation[]>([]);
  const [openId, setOpenId] = useState<string | undefined>();
  const [open, setOpen] = useState<InboxConversation | undefined>();
  const [status, setStatus] = useState("");
  const [draft, setDraft] = useState("");
  const replyId = useId();
  const replyBox = useRef<HTMLTextAreaElement>(null);
  // Read by `refresh` at call time: a refresh started before a hand-back must not reopen the closed panel.
  const openIdRef = useRef<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // The status a failed refresh wrote, so the next refresh that works takes it away again (and only it: an
  // answer's "Answer sent." or a refusal written since stays).
  const refreshFailure = useRef<string | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setItems(await api.list());
      const current = openIdRef.current;
      if (current) {
        const conversation = await api.get(current);
        if (openIdRef.current === current) setOpen(conversation);
      }
      const stale = refreshFailure.current;
      refreshFailure.current = undefined;
      if (stale !== undefined) setStatus((shown) => (shown === stale ? "" : shown));
    } catch (error) {
      // A fetch that never reached the server throws a TypeError ("Failed to fetch"): say it in words.
      const why = error instanceof InboxApiError ? error.message : "the server could not be reached.";
      const text = `Could not refresh the conversations: ${why}`;
      refreshFailure.current = text;
      setStatus(text);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), pollIntervalMs);
    return () => clearInterval(timer);
  }, [refresh, pollIntervalMs]);

  function close() {
    openIdRef.current = undefined;
    setOpenId(undefined);
    setOpen(undefined);
  }

  async function select(runId: string) {
    openIdRef.current = runId;
    setOpenId(runId);
    setOpen(await api.get(runId));
    replyBox.current?.focus();
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    const text = sendableText(draft);
    if (!openId || text === undefined || busy) return;
    setBusy(true);
    try {
      await api.reply(openId, text);
      setDraft("");
      setStatus("Answer sent.");
    } catch (error) {
      // FD354: the conversation left the person meanwhile (another agent, or the flow); say so, keep the draft.
      setStatus(error instanceof Error ? `Not sent: ${error.message}` : String(error));
    } finally {
      setBusy(false);
    }
    await refresh();
  }

  async function handBack(resolved: boolean) {
    if (!openId || busy) return;
    setBusy(true);
    try {
      const result = await api.handback(openId, resolved);
      setStatus(
        !result.handedBack
          ? `Nothing to hand back (the conversation is ${result.status}).`
          : resolved
            ? "Marked resolved. The conversation is closed; the customer's next message goes to the assistant."
            : "Handed back to the flow. The customer is chatting with the assistant again.",
      );
      close();
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
    await refresh();
  }

  // Only a conversation still with a person can be answered or handed back (the server refuses the rest).
  const answerable = open?.status === "handoff" && !busy;

  return (
    <div className="fd-page fd-inbox" aria-labelledby="inbox-title">
      <header className="fd-page-header">
        <div>
          <h1 id="inbox-title" className="fd-page-header__title">
            Handoffs
          </h1>
          <p className="fd-page-header__subtitle">Conversations a flow handed to a person, oldest first.</p>
        </div>
      </header>
      <p role="status" aria-live="polite" className="fd-inbox__status">
        {status}
      </p>
      <div className="fd-inbox__columns">
        <section className="fd-card fd-inbox__list" aria-labelledby="inbox-waiting">
          <h2 id="inbox-waiting" className="fd-section-title">
            Waiting for a human ({items.length})
          </h2>
          {items.length === 0 ? <p className="fd-muted">No conversation is waiting.</p> : null}
          <ul>
            {items.map((item) => (
              <li key={item.runId}>
                <button
                  type="button"
                  className="fd-inbox__item"
                  aria-current={item.runId === openId ? "true" : undefined}
                  onClick={() => void select(item.runId)}
                >
                  <strong>{item.workflowName}</strong> — {item.reason || "no reason given"}
                  {item.unread > 0 ? ` (${item.unread} new)` : ""}
                </button>
              </li>
            ))}
          </ul>
        </section>
        {open ? (
          <section className="fd-card fd-inbox__open" aria-labelledby="inbox-open">
            <h2 id="inbox-open" className="fd-section-title">
              Conversation {open.conversationId.slice(0, 8)}
            </h2>
            <ol className="fd-inbox__transcript" aria-label="Transcript">
              {open.transcript.map((turn, index) => (
                <li key={`t${index}`} data-role={turn.role}>
                  <span className="fd-inbox__who">
                    {turn.role === "customer" ? "Customer" : turn.role === "agent" ? "Agent" : "Bot"}:
                  </span>{" "}
                  {turn.text}
                </li>
              ))}
              {open.handoffMessages.map((message) => (
                <li key={message.id} data-role={message.author}>
                  <span className="fd-inbox__who">{message.author === "agent" ? "Agent" : "Customer"}:</span>{" "}
                  {message.text}
                </li>
              ))}
            </ol>
            <details className="fd-inbox__trace">
              <summary>Run trace ({open.steps.length} steps)</summary>
              <ol aria-label="Run trace">
                {open.steps.map((step) => (
                  <li key={step.stepId}>
                    {step.nodeName} ({step.nodeType}) — {step.status}
                    {step.error ? `: ${step.error.code} ${step.error.message}` : ""}
                  </li>
                ))}
              </ol>
            </details>
            {open.status === "handoff" ? null : (
              <p className="fd-muted">
                This conversation is no longer with a person (it is {open.status}); it is shown read-only.
              </p>
            )}
            <form className="fd-inbox__reply" onSubmit={(event) => void send(event)}>
              <label className="fd-field__label" htmlFor={replyId}>
                Your answer to the customer
              </label>
              <textarea
                className="fd-input"
                id={replyId}
                ref={replyBox}
                value={draft}
                maxLength={4000}
                rows={3}
                disabled={!answerable}
                onChange={(event) => setDraft(event.target.value)}
              />
              <button
                type="submit"
                className="fd-button fd-button--primary"
                disabled={!answerable || sendableText(draft) === undefined}
              >
                Send answer
              </button>
            </form>
            <div className="fd-inbox__actions" role="group" aria-label="Hand back">
              <button
                type="button"
                className="fd-button"
                disabled={!answerable}
                onClick={() => void handBack(false)}
              >
                Hand back to the flow
              </button>
              <button
                type="button"
                className="fd-button"
                disabled={!answerable}
                onClick={() => void handBack(true)}
              >
                Mark resolved
              </button>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
