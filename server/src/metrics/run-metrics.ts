import { REPLAY_CONVERSATION_PREFIX, runModeOf, type RunEvent } from "@flowdeck/runtime";
import type { RunEventBatch } from "../runs/run-host";
import type { AppMetrics } from "./app-metrics";

// Node types come from the registry, but event data is only JSON: a label value that does not look like a
// node type, or one more than this many distinct types, is counted as "other" so no series can explode.
const NODE_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
const MAX_NODE_TYPES = 200;
const UNKNOWN = "unknown";
const OTHER = "other";

/**
 * Feeds one committed batch of a run's events into the run, step and token metrics. Wire it to every
 * batch the RunHost publishes (`runHost.subscribe`); it never throws, so a malformed event costs a sample,
 * not the subscriber.
 *
 * What the engine emits (runtime/src/engine/run-activation.ts, run-journal.ts):
 * - `run.started` / `run.resumed`; `run.completed` / `run.failed` / `run.cancelled` (terminal);
 *   `run.waiting` / `run.handoff` (the activation ends, the run does not).
 * - `step.started {stepId, type}` when a step begins; `step.started {waiting: true}` when it suspends;
 *   `step.completed {stepId, type, usage?}`; `step.failed {stepId}` and `step.retrying {stepId}` carry no
 *   type, so it is looked up from the batch's `step.started` of the same step (one activation commits a
 *   step's start and outcome together).
 * - Token usage `{promptTokens, completionTokens, costUsd}` is counted from `step.completed`'s `usage`.
 *
 * Replays (issue 16) are not live traffic and are not counted. A batch carries the run when the engine that
 * committed it runs here; one from a worker carries only the conversation id, which replays prefix.
 */
export function observeRunEvents(metrics: AppMetrics, batch: RunEventBatch): void {
  const replay = batch.run
    ? runModeOf(batch.run.channel) === "replay"
    : batch.conversationId.startsWith(REPLAY_CONVERSATION_PREFIX);
  if (replay) return;
  const started = new Map<string, { type: string; atMs: number }>();
  for (const event of batch.events) {
    try {
      observeEvent(metrics, event, started);
    } catch {
      // A metric must never break event delivery; the event is simply not counted.
    }
  }
}

function observeEvent(
  metrics: AppMetrics,
  event: RunEvent,
  started: Map<string, { type: string; atMs: number }>,
): void {
  const data = event.data ?? {};
  const stepId = typeof data.stepId === "string" ? data.stepId : undefined;
  switch (event.type) {
    case "run.started":
      metrics.runsStarted.inc();
      return;
    case "run.resumed":
      metrics.runsResumed.inc();
      return;
    case "run.completed":
    case "run.failed":
    case "run.cancelled":
      metrics.runsFinished.inc({ status: event.type.slice("run.".length) });
      return;
    case "run.waiting":
    case "run.handoff":
      metrics.runsSuspended.inc({ status: event.type.slice("run.".length) });
      return;
    case "step.started": {
      const type = nodeTypeLabel(metrics, data.type);
      if (data.waiting === true) {
        step(metrics, type, "waiting", stepId ? started.get(stepId) : undefined, event.at);
        return;
      }
      if (stepId) started.set(stepId, { type, atMs: Date.parse(event.at) });
      return;
    }
    case "step.completed": {
      const begun = stepId ? started.get(stepId) : undefined;
      const type = data.type === undefined && begun ? begun.type : nodeTypeLabel(metrics, data.type);
      step(metrics, type, "completed", begun, event.at);
      usage(metrics, type, data.usage);
      return;
    }
    case "step.failed": {
      const begun = stepId ? started.get(stepId) : undefined;
      step(metrics, begun?.type ?? nodeTypeLabel(metrics, data.type), "failed", begun, event.at);
      return;
    }
    case "step.retrying": {
      const begun = stepId ? started.get(stepId) : undefined;
      metrics.stepRetries.inc({ node_type: begun?.type ?? UNKNOWN });
      return;
    }
    default:
      // message.*, token, condition.failed: not counted here.
      return;
  }
}

function step(
  metrics: AppMetrics,
  type: string,
  outcome: "completed" | "failed" | "waiting",
  begun: { atMs: number } | undefined,
  at: string,
): void {
  const labels = { node_type: type, outcome };
  metrics.steps.inc(labels);
  const seconds = begun ? (Date.parse(at) - begun.atMs) / 1000 : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) metrics.stepDuration.observe(labels, seconds);
}

function usage(metrics: AppMetrics, type: string, value: unknown): void {
  if (value === null || typeof value !== "object") return;
  const { promptTokens, completionTokens, costUsd } = value as Record<string, unknown>;
  const count = (n: unknown) => (typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0);
  if (count(promptTokens)) metrics.modelTokens.inc({ node_type: type, kind: "prompt" }, count(promptTokens));
  if (count(completionTokens)) {
    metrics.modelTokens.inc({ node_type: type, kind: "completion" }, count(completionTokens));
  }
  if (count(costUsd)) metrics.modelCost.inc({ node_type: type }, count(costUsd));
}

const seenTypes = new WeakMap<AppMetrics, Set<string>>();

function nodeTypeLabel(metrics: AppMetrics, value: unknown): string {
  if (typeof value !== "string") return UNKNOWN;
  if (!NODE_TYPE.test(value)) return OTHER;
  let seen = seenTypes.get(metrics);
  if (!seen) {
    seen = new Set();
    seenTypes.set(metrics, seen);
  }
  if (seen.has(value)) return value;
  if (seen.size >= MAX_NODE_TYPES) return OTHER;
  seen.add(value);
  return value;
}
