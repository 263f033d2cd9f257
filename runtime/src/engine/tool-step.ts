import type { WorkflowNode } from "@flowdeck/schemas";
import type { RunScope, TenantView } from "@flowdeck/node-library/runtime";
import type { EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import { now, type RunJournal } from "./run-journal";
import { runStep } from "./step-runner";

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
      emit: () => undefined,
      onRetry: (attempt, error, delayMs) =>
        host.journal.event("step.retrying", { stepId, attempt, error, delayMs }),
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
