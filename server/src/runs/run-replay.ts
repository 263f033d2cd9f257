import { randomUUID } from "node:crypto";
import { REPLAY_CONVERSATION_PREFIX, replayChannel } from "@flowdeck/runtime";
import type { RunRecord, RunStore } from "@flowdeck/runtime";
import { runMoney } from "./run-costs";
import type { RunHost, RunTarget } from "./run-host";

/** What two runs are compared on: the path through the flow and what the customer was told. */
export interface RunOutline {
  readonly runId: string;
  readonly status: string;
  readonly workflowVersion: number | null;
  /** Completed and failed steps in order, `node` or `node:port` when it left through another port than `out`. */
  readonly route: readonly string[];
  readonly replies: readonly string[];
  readonly output: unknown;
  /** What the run's model calls cost and local routing saved, USD (run-costs.ts): a draft's cost against the original's. */
  readonly costUsd: number;
  readonly savedUsd: number;
  /**
   * Steps that would have changed something outside the run and, in a replay, did not: `recorded` answered
   * with the original run's result, `dry_run` with what it would have sent. Empty for a live run.
   */
  readonly effects: readonly ReplayedEffect[];
}

export interface ReplayedEffect {
  readonly stepId: string;
  readonly node: string;
  readonly type: string;
  readonly replay: "recorded" | "dry_run";
  /** What a dry-run step would have sent (its config rendered), absent for a recorded one. */
  readonly request?: unknown;
}

export interface ReplayComparison {
  readonly original: RunOutline;
  readonly replay: RunOutline;
  readonly sameRoute: boolean;
  readonly sameReplies: boolean;
  /** First index where the routes part, or null when they are the same. */
  readonly routeDivergesAt: number | null;
  /** False when the replay had not stopped within the time allowed; the outline is what it had done by then. */
  readonly settled: boolean;
}

export async function outlineRun(store: RunStore, run: RunRecord): Promise<RunOutline> {
  const [steps, events] = await Promise.all([
    store.listSteps(run.tenantId, run.id),
    store.listEvents(run.tenantId, run.id),
  ]);
  return {
    runId: run.id,
    status: run.status,
    workflowVersion: run.workflowVersion,
    route: steps
      .filter((step) => step.status !== "waiting")
      .map((step) => (step.port && step.port !== "out" ? `${step.nodeName}:${step.port}` : step.nodeName)),
    replies: events.filter((e) => e.type === "message.sent").map((e) => String(e.data.text)),
    output: run.output ?? null,
    ...runMoney(steps),
    effects: steps.flatMap((step): ReplayedEffect[] => {
      const replay = step.details?.replay;
      if (replay !== "recorded" && replay !== "dry_run") return [];
      return [
        {
          stepId: step.stepId,
          node: step.nodeName,
          type: step.nodeType,
          replay,
          ...(replay === "dry_run" ? { request: step.details?.request } : {}),
        },
      ];
    }),
  };
}

const SETTLED = new Set(["completed", "failed", "cancelled", "waiting", "handoff"]);

/**
 * Runs a past run's inputs against another target: the same run input, then each message the customer sent
 * while it ran, each one once the replay waits for it. The replay is a run of its own in mode `replay`
 * (channel `replay:<original id>`, a new conversation `replay-<uuid>`): its steps that would change something
 * answer with the original run's recorded results where the steps match and as dry runs otherwise (runtime's
 * replay-executor.ts), and it stays out of the inbox, analytics and live metrics.
 */
export async function replayRun(
  host: RunHost,
  store: RunStore,
  original: RunRecord,
  target: RunTarget,
  timeoutMs: number,
): Promise<{ run: RunRecord; comparison: ReplayComparison }> {
  const deadline = Date.now() + timeoutMs;
  const [events, steps] = await Promise.all([
    store.listEvents(original.tenantId, original.id),
    store.listSteps(original.tenantId, original.id),
  ]);
  const messages = events
    .filter((event) => event.type === "message.received")
    .map((event) => String(event.data.text));
  // Greeted when the chat opened (before the run), not by the run's own start step: the replay must not greet.
  const startSteps = new Set(steps.filter((step) => step.nodeType === "start").map((step) => step.stepId));
  const greetedBefore =
    original.state.conversation.greeted === true &&
    !events.some((e) => e.type === "message.sent" && startSteps.has(String(e.data.stepId)));
  const conversationId = `${REPLAY_CONVERSATION_PREFIX}${randomUUID()}`;
  const channel = replayChannel(original.id);
  const started = await host.start({
    tenantId: original.tenantId,
    target,
    input: original.input,
    channel,
    conversationId,
    // A conversation greeted when the chat opened: the replay's start step must not greet a second time, or a
    // replay of an unchanged flow would differ from its original by the greeting (regression cases, issue 17).
    ...(greetedBefore ? { greeted: true } : {}),
    // The conversation's memory as the original started with it ("cancel it" meant the order shown before), never
    // the live conversation's now: a replay neither reads nor writes live memory.
    memory: original.state.conversation.memory ?? {},
  });
  let run = await host.settled(original.tenantId, started.id, Math.max(1, deadline - Date.now()));
  for (const text of messages) {
    if (run.status !== "waiting" || Date.now() >= deadline) break;
    await host.message({ tenantId: original.tenantId, target, conversationId, channel, text });
    // The resume was handed to the run's lane; wait for the activation it starts to stop again.
    run = await waitPast(host, run, deadline);
  }
  const [a, b] = await Promise.all([outlineRun(store, original), outlineRun(store, run)]);
  const diverges = firstDifference(a.route, b.route);
  return {
    run,
    comparison: {
      original: a,
      replay: b,
      sameRoute: diverges === null,
      sameReplies: firstDifference(a.replies, b.replies) === null,
      routeDivergesAt: diverges,
      settled: SETTLED.has(run.status),
    },
  };
}

/** Waits until the run has committed past the state it was in and stopped again (or the deadline passes). */
function waitPast(host: RunHost, before: RunRecord, deadline: number): Promise<RunRecord> {
  return host.settled(before.tenantId, before.id, Math.max(1, deadline - Date.now()), before.stateVersion);
}

function firstDifference(a: readonly string[], b: readonly string[]): number | null {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) if (a[i] !== b[i]) return i;
  return null;
}
