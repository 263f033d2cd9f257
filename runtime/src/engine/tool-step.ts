import type { WorkflowNode } from "@flowdeck/schemas";
import type { RunScope, TenantView, ToolInvoker } from "@flowdeck/node-library/runtime";
import type { EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import { now, type RunJournal } from "./run-journal";
import { runStep } from "./step-runner";
import { createToolInvoker } from "./tool-invoker";
import type { WorkflowIndex } from "./workflow-index";

/** node-library's default for the agent's `max_tool_calls_per_step` (the schema default normally fills it). */
const DEFAULT_TOOL_CALLS_PER_STEP = 32;

/** What a tool step needs from the activation that runs it. */
export interface ToolStepHost {
  readonly deps: EngineDeps;
  readonly tenant: TenantView;
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly journal: RunJournal;
  config(node: WorkflowNode): Record<string, unknown>;
}

/**
 * A tool node an agent called, run as a step of its own: its own step id (so its own idempotency key), retries,
 * timeout and trace record. Tools cannot call tools. A failure is recorded and thrown to the agent as FD200,
 * which hands it to the model as the tool's answer; the output is returned for the model's next turn.
 */
export async function runToolStep(
  host: ToolStepHost,
  node: WorkflowNode,
  stepId: string,
  scope: RunScope,
): Promise<unknown> {
  const executor = host.deps.executors[node.type];
  if (!executor) throw new EngineError("FD202", `No executor for node type "${node.type}".`);
  const startedAt = now();
  const outcome = await runStep(
    {
      tenant: host.tenant,
      runId: host.runId,
      stepId,
      node,
      config: host.config(node),
      executor,
      scope,
      signal: host.signal,
      tools: { describe: () => [], invoke: () => Promise.reject(new Error("tools cannot call tools")) },
      events: {
        emit: () => undefined,
        retrying: (id, attempt, error, delayMs) =>
          host.journal.event("step.retrying", { stepId: id, attempt, error, delayMs }),
      },
    },
    host.deps,
  );
  if (!outcome.ok) {
    host.journal.failed(node, stepId, outcome.attempts, outcome.error, startedAt);
    throw new EngineError("FD200", outcome.error.message);
  }
  host.journal.record(node, stepId, outcome.attempts, outcome.result, "completed", startedAt);
  return outcome.result.output;
}

/** One step's place in its frame, for the tools of an agent running there. */
export interface AgentStep {
  readonly index: WorkflowIndex;
  readonly agent: WorkflowNode;
  readonly stepId: string;
  readonly scope: RunScope;
  /** The frame's outputs: a tool's output is `nodes.<tool>.output` for the steps after the agent. */
  readonly outputs: Record<string, { output: unknown }>;
}

/**
 * The tools of a step, built on first use: only agents call tools, and building the invoker (or even the
 * closures to build it later) for every step was a tenth of a pure step.
 */
export class LazyAgentTools implements ToolInvoker {
  private invoker: ToolInvoker | undefined;

  constructor(
    private readonly host: ToolStepHost,
    private readonly step: AgentStep,
  ) {}

  describe(names: readonly string[]): ReturnType<ToolInvoker["describe"]> {
    return this.tools().describe(names);
  }

  invoke(name: string, args: Record<string, unknown>): ReturnType<ToolInvoker["invoke"]> {
    return this.tools().invoke(name, args);
  }

  private tools(): ToolInvoker {
    return (this.invoker ??= agentTools(this.host, this.step));
  }
}

/**
 * The tools of one step. Only an agent has any, and only those on its own `tools` list, up to its
 * `max_tool_calls_per_step`: both read here from the engine's copy of its config, never from its executor.
 * Refusals go into the trace as `tool.refused` events (bounded by the same cap).
 */
export function agentTools(host: ToolStepHost, step: AgentStep): ToolInvoker {
  const config = step.agent.type === "agent" ? host.config(step.agent) : {};
  return createToolInvoker({
    index: step.index,
    parentStepId: step.stepId,
    scope: step.scope,
    allowed: stringList(config.tools),
    maxCalls: positiveInteger(config.max_tool_calls_per_step, DEFAULT_TOOL_CALLS_PER_STEP),
    runTool: async (node, toolStepId, toolScope) => {
      const output = await runToolStep(host, node, toolStepId, toolScope);
      step.outputs[node.name] = { output };
      return output;
    },
    onRefused: (refusal) => host.journal.event("tool.refused", { stepId: step.stepId, ...refusal }),
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}
