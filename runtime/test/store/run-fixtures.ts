import { randomUUID } from "node:crypto";
import type { Workflow } from "@flowdeck/schemas";
import type { RunEvent, RunState, StepRecord } from "../../src/engine/run-types";
import type { NewRun } from "../../src/store/run-store";
import { stepEventData } from "../../src/engine/step-events";

/** Small, valid run-store inputs for the store tests. */

export const TINY_WORKFLOW: Workflow = {
  name: "tiny",
  nodes: [
    { name: "start", type: "start" },
    { name: "done", type: "end", config: { reply: "Bye" } },
  ],
  edges: [{ from: "start", to: "done" }],
};

export function tinyState(overrides: Partial<RunState> = {}): RunState {
  return {
    frames: [
      {
        workflow: "tiny",
        path: "main",
        node: "start",
        input: { message: "hi" },
        vars: {},
        outputs: {},
        visits: {},
      },
    ],
    conversation: { id: "conv-1", channel: "test", history: [{ role: "customer", text: "hi" }] },
    usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
    ...overrides,
  };
}

export function newRun(tenantId: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    tenantId,
    workflowName: "tiny",
    workflowVersion: 3,
    definition: TINY_WORKFLOW,
    input: { message: "hi" },
    state: tinyState(),
    conversationId: "conv-1",
    channel: "test",
    ...overrides,
  };
}

export function step(stepId: string, overrides: Partial<StepRecord> = {}): StepRecord {
  const at = new Date().toISOString();
  return {
    stepId,
    nodeName: stepId.split("/").pop()!.split("#")[0]!,
    nodeType: "set",
    attempt: 1,
    status: "completed",
    port: "out",
    output: { values: { n: 1 } },
    startedAt: at,
    finishedAt: at,
    ...overrides,
  };
}

export function events(count: number, type: RunEvent["type"] = "step.completed"): RunEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type,
    data: { index },
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
  }));
}

/** Step records as the events that carry them in the journal (what the engine's RunJournal writes). */
export function stepEvents(...steps: StepRecord[]): RunEvent[] {
  return steps.map(({ finishedAt, ...record }) => ({
    type:
      record.status === "failed"
        ? "step.failed"
        : record.status === "waiting"
          ? "step.started"
          : "step.completed",
    data: stepEventData(record, record.status === "waiting" ? { waiting: true } : {}),
    at: finishedAt,
  }));
}

/** REQUEST_RESUME's parameters for a chat message with an id to a waiting run (the plan tests explain it). */
export function chatMessageResumeParams(tenantId: string, runId: string): (string | boolean | string[])[] {
  return [
    tenantId,
    runId,
    ["waiting", "handoff"],
    '{"message":"hi"}',
    "run.resume",
    randomUUID(),
    `chat:${randomUUID()}:m-1`,
    true,
  ];
}
