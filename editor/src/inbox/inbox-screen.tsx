import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import {
  createInboxApi,
  type InboxApiOptions,
  type InboxConversation,
  type WaitingConversation,
} from "./inbox-api";

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

  const refresh = useCallback(async () => {
    try {
      setItems(await api.list());
      if (openId) setOpen(await api.get(openId));
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    }
  }, [api, openId]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), pollIntervalMs);
    return () => clearInterval(timer);
  }, [refresh, pollIntervalMs]);

  async function select(runId: string) {
    setOpenId(runId);
    setOpen(await api.get(runId));
    replyBox.current?.focus();
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!openId || !draft.trim()) return;
    await api.reply(openId, draft.trim());
    setDraft("");
    setStatus("Answer sent.");
    await refresh();
  }

  async function handBack(resolved: boolean) {
    if (!openId) return;
    const result = await api.handback(openId, resolved);
    setStatus(
      result.handedBack ? "Handed back to the flow." : `Nothing to hand back (the run is ${result.status}).`,
    );
    setOpenId(undefined);
    setOpen(undefined);
    await refresh();
  }

  return (
    <main className="inbox" aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <p role="status" aria-live="polite" className="inbox-status">
        {status}
      </p>
      <div className="inbox-columns">
        <section aria-labelledby="inbox-waiting">
          <h2 id="inbox-waiting">Waiting for a human ({items.length})</h2>
          {items.length === 0 ? <p>No conversation is waiting.</p> : null}
          <ul>
            {items.map((item) => (
              <li key={item.runId}>
                <button
                  type="button"
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
          <section aria-labelledby="inbox-open">
            <h2 id="inbox-open">Conversation {open.conversationId.slice(0, 8)}</h2>
            <ol className="inbox-transcript" aria-label="Transcript">
              {open.transcript.map((turn, index) => (
                <li key={`t${index}`} data-role={turn.role}>
                  <span className="who">
                    {turn.role === "customer" ? "Customer" : turn.role === "agent" ? "Agent" : "Bot"}:
                  </span>{" "}
                  {turn.text}
                </li>
              ))}
              {open.handoffMessages.map((message) => (
                <li key={message.id} data-role={message.author}>
                  <span className="who">{message.author === "agent" ? "Agent" : "Customer"}:</span>{" "}
                  {message.text}
                </li>
              ))}
            </ol>
            <details>
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
            <form onSubmit={(event) => void send(event)}>
              <label htmlFor={replyId}>Your answer to the customer</label>
              <textarea
                id={replyId}
                ref={replyBox}
                value={draft}
                maxLength={4000}
                rows={3}
                onChange={(event) => setDraft(event.target.value)}
              />
              <button type="submit" disabled={!draft.trim()}>
                Send answer
              </button>
            </form>
            <div role="group" aria-label="Hand back">
              <button type="button" onClick={() => void handBack(false)}>
                Hand back to the flow
              </button>
              <button type="button" onClick={() => void handBack(true)}>
                Mark resolved
              </button>
            </div>
          </section>
        ) : null}
      </div>
    </main>
  );
}
