import { REPLAY_CONVERSATION_PREFIX, runModeOf, type RunEvent } from "@flowdeck/runtime";
import type { RunEventBatch } from "../runs/run-host";
import { TEST_RUN_CHANNEL } from "../runs/test-run-channel";
import type { AppMetrics } from "./app-metrics";
import { UNKNOWN_LABEL } from "./bounded-labels";

const ROUTER_TIERS = new Set(["local", "embeddings", "llm"]);

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
 * - Token usage `{promptTokens, completionTokens, costUsd}` is counted from `step.completed`'s `usage`, per node
 *   type and per tenant; a router step's `details` carry its tier, `unsure` and `savedUsd`.
 *
 * Replays (issue 16) are not live traffic and are not counted. The editor's test runs (channel `test`) are
 * counted with `test="true"`, everything else with `test="false"`: a label rather than leaving them out, since
 * they do load the workers and do spend model money (an operator's cost per tenant must include them), while
 * alerts and dashboards about customers select `test="false"`. The channel comes with the batch (the run here,
 * or the bus message of a worker); a batch from a worker older than that field carries only the conversation
 * id, which replays prefix, and counts as not a test.
 */
export function observeRunEvents(metrics: AppMetrics, batch: RunEventBatch): void {
  const channel = batch.run?.channel ?? batch.channel;
  const replay =
    channel === undefined
      ? batch.conversationId.startsWith(REPLAY_CONVERSATION_PREFIX)
      : runModeOf(channel) === "replay";
  if (replay) return;
  const started = new Map<string, { type: string; atMs: number }>();
  const labels: Labels = {
    test: channel === TEST_RUN_CHANNEL ? "true" : "false",
    tenant: metrics.labels.tenant(batch.tenantId),
  };
  for (const event of batch.events) {
    try {
      observeEvent(metrics, event, started, labels);
    } catch {
      // A metric must never break event delivery; the event is simply not counted.
    }
  }
}

/** What every sample of one batch shares: the test label, and the tenant's label when it has one. */
interface Labels {
  readonly test: "true" | "false";
  readonly tenant: string | undefined;
}

function observeEvent(
  metrics: AppMetrics,
  event: RunEvent,
  started: Map<string, { type: string; atMs: number }>,
  { test, tenant }: Labels,
): void {
  const data = event.data ?? {};
  const stepId = typeof data.stepId === "string" ? data.stepId : undefined;
  switch (event.type) {
    case "run.started":
      metrics.runsStarted.inc({ test });
      return;
    case "run.resumed":
      metrics.runsResumed.inc({ test });
      return;
    case "run.completed":
    case "run.failed":
    case "run.cancelled": {
      const status = event.type.slice("run.".length);
      metrics.runsFinished.inc({ status, test });
      if (tenant) metrics.tenantRunsFinished.inc({ tenant, status, test });
      return;
    }
    case "run.waiting":
    case "run.handoff":
      metrics.runsSuspended.inc({ status: event.type.slice("run.".length), test });
      return;
    case "step.started": {
      const type = metrics.labels.nodeType(data.type);
      if (data.waiting === true) {
        step(
          metrics,
          { node_type: type, outcome: "waiting", test },
          stepId ? started.get(stepId) : undefined,
          event.at,
        );
        return;
      }
      if (stepId) started.set(stepId, { type, atMs: Date.parse(event.at) });
      return;
    }
    case "step.completed": {
      const begun = stepId ? started.get(stepId) : undefined;
      const type = data.type === undefined && begun ? begun.type : metrics.labels.nodeType(data.type);
      step(metrics, { node_type: type, outcome: "completed", test }, begun, event.at);
      usage(metrics, type, { test, tenant }, data.usage);
      routerDecision(metrics, test, data.details);
      return;
    }
    case "step.failed": {
      const begun = stepId ? started.get(stepId) : undefined;
      const type = begun?.type ?? metrics.labels.nodeType(data.type);
      step(metrics, { node_type: type, outcome: "failed", test }, begun, event.at);
      return;
    }
    case "step.retrying": {
      const begun = stepId ? started.get(stepId) : undefined;
      metrics.stepRetries.inc({ node_type: begun?.type ?? UNKNOWN_LABEL, test });
      return;
    }
    default:
      // message.*, token, condition.failed: not counted here.
      return;
  }
}

function step(
  metrics: AppMetrics,
  labels: { node_type: string; outcome: "completed" | "failed" | "waiting"; test: Labels["test"] },
  begun: { atMs: number } | undefined,
  at: string,
): void {
  metrics.steps.inc(labels);
  const seconds = begun ? (Date.parse(at) - begun.atMs) / 1000 : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) metrics.stepDuration.observe(labels, seconds);
}

function usage(metrics: AppMetrics, type: string, { test, tenant }: Labels, value: unknown): void {
  if (value === null || typeof value !== "object") return;
  const { promptTokens, completionTokens, costUsd } = value as Record<string, unknown>;
  const prompt = positive(promptTokens);
  const completion = positive(completionTokens);
  const cost = positive(costUsd);
  if (prompt) metrics.modelTokens.inc({ node_type: type, kind: "prompt", test }, prompt);
  if (completion) metrics.modelTokens.inc({ node_type: type, kind: "completion", test }, completion);
  if (cost) metrics.modelCost.inc({ node_type: type, test }, cost);
  if (!tenant) return;
  if (prompt) metrics.tenantModelTokens.inc({ tenant, kind: "prompt", test }, prompt);
  if (completion) metrics.tenantModelTokens.inc({ tenant, kind: "completion", test }, completion);
  if (cost) metrics.tenantModelCost.inc({ tenant, test }, cost);
}

/** A router step's details (node-library's router executor) name the tier that decided. */
function routerDecision(metrics: AppMetrics, test: Labels["test"], details: unknown): void {
  if (details === null || typeof details !== "object") return;
  const { tier, unsure, savedUsd } = details as Record<string, unknown>;
  if (typeof tier !== "string") return;
  metrics.routerDecisions.inc({
    tier: ROUTER_TIERS.has(tier) ? tier : UNKNOWN_LABEL,
    unsure: String(unsure === true),
    test,
  });
  const saved = positive(savedUsd);
  if (saved) metrics.routerSavedCost.inc({ test }, saved);
}

function positive(n: unknown): number {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;
}
