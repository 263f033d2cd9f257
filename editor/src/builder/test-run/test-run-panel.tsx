// The test-run panel: chat with the current draft over the staff socket, watch each step on the canvas and in
// the list below the chat (route, confidence, tier, model, tokens, cost, time), and restart the conversation —
// from the start, or from any earlier message of yours (the ones before it are sent again, then it waits in the
// input for you to send it as is or changed).
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useBuilderStores } from "../builder-context";
import { openTestRunSocket, type ChatFrame, type TestRunSocket } from "./test-run-socket";
import { RegressionCases } from "./regression-cases";
import { fetchRunSteps, type TestRunApi } from "./test-run-api";

export type { TestRunApi } from "./test-run-api";
import { foldStepEvent, mergeStoredSteps, totalsOf, traceOf, type TraceStep } from "./test-run-trace";
import { TestRunSteps } from "./test-run-steps";
import "./test-run.css";

interface ChatLine {
  readonly id: string;
  readonly author: "you" | "bot" | "system";
  readonly text: string;
  /** The buttons a bot message offers; shown under the latest message only, as the widget does. */
  readonly choices?: readonly string[];
}

export function TestRunPanel({
  api,
  workflowId,
  beforeSend,
  onClose,
}: {
  api: TestRunApi;
  workflowId: string;
  /** Resolves once the draft on screen is saved. */
  beforeSend(): Promise<unknown>;
  onClose(): void;
}) {
  const { session } = useBuilderStores();
  const [lines, setLines] = useState<readonly ChatLine[]>([]);
  const [steps, setSteps] = useState<readonly TraceStep[]>([]);
  const [streaming, setStreaming] = useState("");
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState("");
  const [generation, setGeneration] = useState(0);
  const socket = useRef<TestRunSocket | undefined>(undefined);
  const conversationId = useRef<string | undefined>(undefined);
  const lastRunId = useRef<string | undefined>(undefined);
  const [runId, setRunId] = useState<string | undefined>();
  const chatEnd = useRef<HTMLOListElement>(null);
  // Customer messages still to send again after "Restart from here", one per finished turn.
  const replay = useRef<string[]>([]);
  const beforeSendRef = useRef(beforeSend);
  useEffect(() => {
    beforeSendRef.current = beforeSend;
  }, [beforeSend]);

  const sendCustomer = useCallback((message: string) => {
    const current = socket.current;
    if (!current) return;
    setLines((all) => [...all, { id: `you-${all.length}`, author: "you", text: message }]);
    setTyping(true);
    void beforeSendRef
      .current()
      .catch(() => undefined)
      .then(() =>
        current.send({
          type: "message",
          text: message,
          ...(conversationId.current ? { conversationId: conversationId.current } : {}),
        }),
      );
  }, []);

  const onFrame = useCallback(
    (frame: ChatFrame) => {
      if ("runId" in frame && frame.runId) {
        lastRunId.current = frame.runId;
        setRunId(frame.runId);
      }
      // The run settled: read its stored steps for outputs, priced cost and savings.
      if (frame.type === "typing" && !frame.on && lastRunId.current) {
        void fetchRunSteps(api, lastRunId.current).then(
          (stored) => setSteps((all) => mergeStoredSteps(all, stored)),
          () => undefined,
        );
      }
      if (frame.type === "ready" && frame.conversationId) conversationId.current = frame.conversationId;
      // The socket is ready, or the bot finished its turn: the next replayed message goes now.
      if ((frame.type === "ready" || (frame.type === "typing" && !frame.on)) && replay.current.length > 0) {
        const next = replay.current.shift()!;
        queueMicrotask(() => sendCustomer(next));
      }
      if ("conversationId" in frame && frame.conversationId) conversationId.current = frame.conversationId;
      if (frame.type === "typing") setTyping(frame.on);
      else if (frame.type === "token") setStreaming((s) => s + frame.text);
      else if (frame.type === "reply") {
        setStreaming("");
        setLines((all) =>
          all.some((l) => l.id === frame.id)
            ? all
            : [
                ...all,
                {
                  id: frame.id,
                  author: "bot",
                  text: frame.text,
                  ...(frame.choices?.length ? { choices: frame.choices } : {}),
                },
              ],
        );
      } else if (frame.type === "step")
        setSteps((all) => foldStepEvent(all, frame.event, frame.data, frame.at));
      else if (frame.type === "handoff") {
        setLines((all) => [
          ...all,
          { id: `handoff-${frame.at}`, author: "system", text: `Handed off to a person: ${frame.reason}` },
        ]);
      } else if (frame.type === "error") {
        setTyping(false);
        setLines((all) => [
          ...all,
          { id: `error-${all.length}`, author: "system", text: `${frame.code}: ${frame.message}` },
        ]);
      }
    },
    [api, sendCustomer],
  );

  // One socket per conversation: "Restart" bumps the generation, which closes this one and opens a new one.
  useEffect(() => {
    let closed = false;
    let current: TestRunSocket | undefined;
    void api.accessToken().then((token) => {
      if (closed) return;
      if (!token) {
        setLines([
          { id: "no-session", author: "system", text: "FD620: sign in again to test-run this draft." },
        ]);
        return;
      }
      current = openTestRunSocket({
        baseUrl: api.baseUrl,
        token,
        workflowId,
        onFrame,
        onClose: () => setTyping(false),
      });
      socket.current = current;
      current.send({ type: "open" });
    });
    return () => {
      closed = true;
      current?.close();
      socket.current = undefined;
      conversationId.current = undefined;
    };
  }, [api, workflowId, onFrame, generation]);

  // The canvas lights up what ran; the path stays drawn until the conversation restarts or the panel closes.
  useEffect(() => session.getState().setTrace(traceOf(steps)), [session, steps]);
  useEffect(() => () => session.getState().setTrace({}), [session]);

  // The newest message stays in view as replies stream in.
  useEffect(() => {
    const list = chatEnd.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lines, streaming, typing]);

  const restart = () => {
    replay.current = [];
    setLines([]);
    setSteps([]);
    setStreaming("");
    setRunId(undefined);
    lastRunId.current = undefined;
    setGeneration((g) => g + 1);
  };

  /** A new conversation that replays your messages before `index`, then offers that one in the input. */
  const restartFrom = (index: number) => {
    const earlier = lines
      .slice(0, index)
      .filter((line) => line.author === "you")
      .map((line) => line.text);
    const chosen = lines[index]?.text ?? "";
    restart();
    replay.current = earlier;
    setText(chosen);
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message || !socket.current) return;
    setText("");
    sendCustomer(message);
  };

  const totals = totalsOf(steps);
  return (
    <aside className="fdb-test-run" aria-label="Test run" data-testid="test-run-panel">
      <header className="fdb-test-run__head">
        <h2 className="fdb-panel-title">Test run (draft)</h2>
        <button type="button" className="fdb-button" onClick={restart} data-testid="test-run-restart">
          Restart
        </button>
        <button type="button" className="fdb-button" onClick={onClose} aria-label="Close the test run">
          Close
        </button>
      </header>
      <ol
        ref={chatEnd}
        className="fdb-test-run__chat"
        // Scrollable, so reachable by keyboard (axe: scrollable-region-focusable).
        tabIndex={0}
        aria-live="polite"
        aria-label="Conversation"
        data-testid="test-run-chat"
      >
        {lines.map((line, index) => (
          <li key={line.id} className={`fdb-test-run__line fdb-test-run__line--${line.author}`}>
            <span className="fdb-test-run__author">
              {line.author === "you" ? "You" : line.author === "bot" ? "Bot" : "Note"}
            </span>
            {line.text}
            {line.author === "you" ? (
              <button
                type="button"
                className="fdb-test-run__restart-here"
                onClick={() => restartFrom(index)}
                aria-label={`Restart the conversation from "${line.text.slice(0, 40)}"`}
                title="Restart from here"
                data-testid="test-run-restart-here"
              >
                ↺
              </button>
            ) : null}
          </li>
        ))}
        {!typing && lines.at(-1)?.choices ? (
          <li className="fdb-test-run__choices" role="group" aria-label="Suggested answers">
            {lines.at(-1)!.choices!.map((label) => (
              <button key={label} type="button" className="fdb-button" onClick={() => sendCustomer(label)}>
                {label}
              </button>
            ))}
          </li>
        ) : null}
        {streaming && <li className="fdb-test-run__line fdb-test-run__line--bot">{streaming}</li>}
        {typing && !streaming && <li className="fdb-test-run__typing">The flow is running…</li>}
      </ol>
      <form className="fdb-test-run__form" onSubmit={send}>
        <label htmlFor="test-run-input" className="fdb-visually-hidden">
          Message to the draft
        </label>
        <input
          id="test-run-input"
          className="fdb-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Write as a customer…"
          autoComplete="off"
          data-testid="test-run-input"
        />
        <button type="submit" className="fdb-button fdb-button--primary" disabled={!text.trim()}>
          Send
        </button>
      </form>
      <div className="fdb-test-run__details" data-testid="test-run-details">
        <p className="fdb-test-run__totals" data-testid="test-run-totals">
          {totals.tokens} tokens · ${totals.costUsd.toFixed(4)}
          {totals.savedUsd > 0 ? ` · local router saved $${totals.savedUsd.toFixed(4)}` : ""}
        </p>
        <TestRunSteps steps={steps} />
        <RegressionCases api={api} workflowId={workflowId} runId={runId} beforeRun={beforeSend} />
      </div>
    </aside>
  );
}
