import { timeOrderedId } from "../store/time-ordered-id";
import type { NewRun } from "../store/run-store";
import type { StartRunRequest } from "./start-run-request";
import type { RunState } from "./run-types";
import { indexWorkflow } from "./workflow-index";

/**
 * The run a request starts, as the store takes it: its first frame at the start node, the opening message, and
 * the conversation's memory as it stood when the run started (`memory`, see conversation-memory.ts).
 */
export function newRun(request: StartRunRequest, memory?: Readonly<Record<string, unknown>>): NewRun {
  const start = indexWorkflow(request.workflow).start;
  const message = typeof request.input.message === "string" ? request.input.message : undefined;
  const conversationId = request.conversationId ?? timeOrderedId();
  const state: RunState = {
    frames: [
      {
        workflow: request.workflow.name,
        path: "main",
        node: start.name,
        input: { ...request.input },
        vars: { ...(request.workflow.vars ?? {}) },
        outputs: {},
        visits: {},
      },
    ],
    conversation: {
      id: conversationId,
      channel: request.channel ?? "api",
      history: [
        ...(request.opening ?? []),
        ...(message ? [{ role: "customer" as const, text: message, at: new Date().toISOString() }] : []),
      ],
      ...(request.greeted ? { greeted: true } : {}),
      ...(memory && Object.keys(memory).length > 0 ? { memory: { ...memory } } : {}),
    },
    usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
  };
  return {
    tenantId: request.tenantId,
    workflowName: request.workflow.name,
    workflowVersion: request.workflowVersion ?? null,
    definition: request.workflow,
    input: request.input,
    state,
    conversationId,
    channel: request.channel ?? "api",
    ...(request.runId ? { id: request.runId } : {}),
    ...(request.claim ? { claim: request.claim } : {}),
    ...(request.messageClaim ? { messageClaim: request.messageClaim } : {}),
  };
}
