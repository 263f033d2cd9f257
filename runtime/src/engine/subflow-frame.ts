import type { WorkflowNode } from "@flowdeck/schemas";
import type { RunScope } from "@flowdeck/node-library/runtime";
import type { EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import type { RunJournal } from "./run-journal";
import type { FlowFrame } from "./run-types";
import { renderTemplate } from "./scope";
import { indexWorkflow, type WorkflowIndex } from "./workflow-index";

const DEFAULT_MAX_DEPTH = 8;

/** What entering a subflow needs of its activation. */
export interface SubflowHost {
  readonly deps: EngineDeps;
  readonly tenantId: string;
  /** Frames on the stack now (the root flow is 1). */
  readonly depth: number;
  readonly journal: RunJournal;
  config(node: WorkflowNode): Record<string, unknown>;
  scope(frame: FlowFrame): RunScope;
}

/** The child frame to push, or why the subflow step failed (its error edge, else the run's failure). */
export type SubflowEntry =
  | { readonly child: FlowFrame; readonly index: WorkflowIndex }
  | {
      readonly failed: { readonly code: string; readonly message: string };
      readonly stepId: string;
      readonly startedAt: string;
    };

/**
 * A subflow node has no executor: entering it resolves the called workflow, renders its inputs in the caller's
 * scope, counts the visit and returns the child's frame (at its start node) for the activation to push, with the
 * child's index. The subflow's step completes when the child flow ends (`RunJournal.subflowReturned`).
 *
 * A called workflow that does not exist or has no published version, nesting too deep or an input template that
 * fails is the flow's problem, not the engine's: the step fails like any other, so the flow's error edge (a
 * handoff in the seed flows) answers the customer. Thrown, it escaped the activation and left the run `running`
 * with no answer (a router published before its subflows).
 */
export async function enterSubflow(
  host: SubflowHost,
  frame: FlowFrame,
  node: WorkflowNode,
): Promise<SubflowEntry> {
  const startedAt = new Date().toISOString();
  try {
    return await enter(host, frame, node);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    const visit = (frame.visits[node.name] ?? 0) + 1;
    frame.visits[node.name] = visit;
    return {
      failed: { code: error.code, message: error.message },
      stepId: `${frame.path}/${node.name}#${visit}`,
      startedAt,
    };
  }
}

async function enter(
  host: SubflowHost,
  frame: FlowFrame,
  node: WorkflowNode,
): Promise<{ child: FlowFrame; index: WorkflowIndex }> {
  const maxDepth = host.deps.maxSubflowDepth ?? DEFAULT_MAX_DEPTH;
  if (host.depth >= maxDepth) {
    throw new EngineError("FD204", `Subflow "${node.name}" would nest more than ${maxDepth} levels deep.`);
  }
  const config = host.config(node) as {
    workflow: string;
    input?: Record<string, string>;
    version?: number | "latest";
  };
  const workflow = await host.deps.resolveWorkflow(
    host.tenantId,
    config.workflow,
    config.version ?? "latest",
  );
  if (!workflow)
    throw new EngineError(
      "FD203",
      `Subflow "${node.name}" calls "${config.workflow}", which does not exist or has no published version.`,
    );
  const index = indexWorkflow(workflow);
  const visit = (frame.visits[node.name] ?? 0) + 1;
  frame.visits[node.name] = visit;
  const stepId = `${frame.path}/${node.name}#${visit}`;
  const scope = host.scope(frame);
  const input: Record<string, unknown> = { message: frame.input.message };
  for (const [name, template] of Object.entries(config.input ?? {})) {
    input[name] = await renderTemplate(template, scope);
  }
  host.journal.event("step.started", { stepId, node: node.name, type: "subflow", workflow: workflow.name });
  const child: FlowFrame = {
    workflow: workflow.name,
    path: stepId,
    node: index.start.name,
    caller: node.name,
    input,
    vars: { ...(workflow.vars ?? {}) },
    outputs: {},
    visits: {},
  };
  return { child, index };
}
