// What a run's steps draw on its canvas: each node's last status (a node visited twice shows its last visit),
// the one running now from the events when no step record exists for it yet.
import type { TraceStatus } from "../builder/session-store";
import type { RunDetail } from "../api/runs-types";

export function runTrace(run: RunDetail): Record<string, TraceStatus> {
  const trace: Record<string, TraceStatus> = {};
  for (const step of run.steps) {
    // A waiting step (an ask) was reached: it is on the path, drawn like a completed one.
    trace[step.nodeName] = step.status === "failed" ? "failed" : "completed";
  }
  if (run.status === "running") {
    const started = [...run.events].reverse().find((e) => e.type === "step.started");
    const node = typeof started?.data.node === "string" ? started.data.node : undefined;
    if (node && !run.steps.some((s) => s.stepId === started?.data.stepId)) trace[node] = "running";
  }
  return trace;
}

/** The conversation as it happened: customer messages and the bot's replies, in order. */
export interface RunMessage {
  readonly seq: number;
  readonly author: "customer" | "bot";
  readonly text: string;
  readonly at: string;
}

export function runMessages(run: RunDetail): RunMessage[] {
  return run.events.flatMap((event): RunMessage[] => {
    const text = typeof event.data.text === "string" ? event.data.text : undefined;
    if (text === undefined) return [];
    if (event.type === "message.received")
      return [{ seq: event.seq, author: "customer", text, at: event.at }];
    if (event.type === "message.sent") return [{ seq: event.seq, author: "bot", text, at: event.at }];
    return [];
  });
}
