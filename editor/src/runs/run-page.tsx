// One run: its path drawn on the canvas of the version it ran (the run's own definition, so a draft's test run
// and an old version draw right too), its conversation and its event log. A run still going is read again
// every POLL_MS until it waits, hands off or ends. A node on the canvas or a step's row in the log opens that
// step's detail; editors can cancel or replay the run.
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from "react";
import { Link } from "wouter";
import { stringify } from "yaml";
import { describeError } from "../api";
import { createRunsApi } from "../api/runs-api";
import { ENDED_STATUSES, type RunDetail } from "../api/runs-types";
import { useApi, useSession } from "../app/api-context";
import { canEdit } from "../app/roles";
import { WorkflowPicture } from "../builder/workflow-picture";
import { channelText } from "./channel-label";
import { RunActions } from "./run-actions";
import { RunEvents } from "./run-events";
import { RunStatusBadge } from "./run-status-badge";
import { runMessages, runTrace } from "./run-trace";
import { StepDetail } from "./step-detail";
import { lastStepOfNode } from "./step-facts";
import "./runs.css";

/** How often a live run is read again. Polling, not the chat socket: this page watches any channel's run. */
export const POLL_MS = 1500;

const isLive = (status: string) =>
  !ENDED_STATUSES.has(status) && status !== "waiting" && status !== "handoff";

/**
 * The node a click or key press on the canvas landed on. The picture is the builder's read-only canvas, which
 * reports no selection; its cards carry `data-node-name`, and a focused React Flow node wraps its card.
 */
function nodeNameAt(target: EventTarget | null): string | undefined {
  if (!(target instanceof Element)) return undefined;
  const card =
    target.closest("[data-node-name]") ??
    target.closest(".react-flow__node")?.querySelector("[data-node-name]");
  return card?.getAttribute("data-node-name") ?? undefined;
}

export function RunPage({ runId }: { runId: string }) {
  const api = useApi();
  const runsApi = useMemo(() => createRunsApi(api), [api]);
  const [run, setRun] = useState<RunDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  // Kept with its run: a replay's link reuses this page for another run, which starts with nothing selected.
  const [selection, setSelection] = useState<{ runId: string; stepId: string } | undefined>();
  const selectedStepId = selection?.runId === runId ? selection.stepId : undefined;
  const [reads, setReads] = useState(0);
  const detailRef = useRef<HTMLDivElement>(null);
  const session = useSession();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const detail = await runsApi.getRun(runId);
        if (stopped) return;
        setRun(detail);
        if (isLive(detail.status)) timer = setTimeout(() => void read(), POLL_MS);
      } catch (failure) {
        if (!stopped) setError(describeError(failure));
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runsApi, runId, reads]);

  const selectStep = useCallback(
    (stepId: string | undefined) => {
      setSelection(stepId ? { runId, stepId } : undefined);
      if (stepId) requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: "nearest" }));
    },
    [runId],
  );

  // The definition only changes identity per read; the text (and so the canvas) stays while the run goes on.
  const yaml = useMemo(() => (run ? stringify(run.definition) : ""), [run?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const trace = useMemo(() => (run ? runTrace(run) : {}), [run]);
  const messages = useMemo(() => {
    if (!run) return [];
    const first =
      typeof run.input.message === "string"
        ? [{ seq: 0, author: "customer" as const, text: run.input.message, at: run.createdAt }]
        : [];
    return [...first, ...runMessages(run)];
  }, [run]);

  if (error) {
    return (
      <div className="fd-page">
        <h1 className="fd-page-header__title">Run</h1>
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
        <Link href="/runs">Back to runs</Link>
      </div>
    );
  }
  if (!run) {
    return (
      <div className="fd-page">
        <p className="fd-muted" role="status">
          Loading the run…
        </p>
      </div>
    );
  }
  const selectedStep = run.steps.find((s) => s.stepId === selectedStepId);
  const pickNode = (event: MouseEvent | KeyboardEvent) => {
    if ("key" in event && event.key !== "Enter" && event.key !== " ") return;
    const node = nodeNameAt(event.target);
    if (node) selectStep(lastStepOfNode(run, node)?.stepId);
  };
  const cost = typeof run.costUsd === "number" ? `$${run.costUsd.toFixed(4)}` : "";
  return (
    <div className="fd-page fd-run">
      <header className="fd-page-header">
        <div>
          <p>
            <Link href="/runs">← All runs</Link>
          </p>
          <h1 className="fd-page-header__title">
            {run.workflowName} {run.workflowVersion === null ? "(draft)" : `v${run.workflowVersion}`}
          </h1>
          <p className="fd-page-header__subtitle fd-run__meta">
            <RunStatusBadge status={run.status} />
            <span>Started {new Date(run.createdAt).toLocaleString()}</span>
            <span data-testid="run-channel" title={run.channel}>
              Channel: {channelText(run.channel, run.channelName)}
            </span>
            <span>{run.steps.length} steps</span>
            {cost ? <span>Cost {cost}</span> : null}
            {isLive(run.status) ? <span role="status">Live: updating…</span> : null}
          </p>
          {run.error ? (
            <p className="fd-alert fd-alert--error" role="alert">
              {run.error.code}: {run.error.message}
            </p>
          ) : null}
        </div>
      </header>
      <RunActions
        key={run.id}
        run={run}
        runsApi={runsApi}
        canAct={canEdit(session?.tenant.role)}
        onCancelled={() => setReads((n) => n + 1)}
      />
      <div className="fd-run__layout">
        {/* The cards and their focus are the builder's; this only listens to which one was picked. */}
        <div className="fd-run__canvas" onClick={pickNode} onKeyDown={pickNode}>
          <WorkflowPicture key={run.id} yaml={yaml} trace={trace} label={`The path run ${run.id} took`} />
        </div>
        <section className="fd-card fd-run__messages" aria-labelledby="run-messages-title">
          <h2 id="run-messages-title" className="fd-section-title">
            Messages
          </h2>
          {messages.length === 0 ? <p className="fd-muted">No messages.</p> : null}
          <ol className="fd-run__transcript" data-testid="run-messages">
            {messages.map((m) => (
              <li key={m.seq} className={`fd-run__message fd-run__message--${m.author}`}>
                <span className="fd-run__author">{m.author === "bot" ? "Bot" : "Customer"}</span>
                {m.text}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <div ref={detailRef} className="fd-run__step-slot">
        {selectedStep ? (
          <StepDetail run={run} step={selectedStep} onClose={() => setSelection(undefined)} />
        ) : (
          <p className="fd-muted fd-run__step-hint" data-testid="run-step-hint">
            Select a node on the canvas or a step in the events below to see what it was given, what it
            decided and what it cost.
          </p>
        )}
      </div>
      <RunEvents run={run} selectedStepId={selectedStepId} onSelectStep={selectStep} />
    </div>
  );
}
