import type { WorkflowNode } from "@flowdeck/schemas";
import type {
  ExecutorEvent,
  NodeExecutor,
  ResumeInput,
  RunScope,
  TenantView,
  ToolInvoker,
} from "@flowdeck/node-library/runtime";
import type { EngineDeps } from "./engine-deps";
import { now, type RunJournal } from "./run-journal";
import type { RunRecord } from "./run-types";

/** One node to run as a step (`runStep`), and what its executor's context is made of. */
export interface StepRequest {
  readonly tenant: TenantView;
  readonly runId: string;
  readonly stepId: string;
  readonly node: WorkflowNode;
  readonly config: Record<string, unknown>;
  readonly executor: NodeExecutor;
  readonly scope: RunScope;
  readonly resume?: ResumeInput;
  readonly signal: AbortSignal;
  readonly tools: ToolInvoker;
  readonly events: StepEvents;
}

/**
 * Where a step's live events and retries go. One per activation, told the step id, so a step's request holds
 * no closures of its own.
 */
export interface StepEvents {
  emit(stepId: string, event: ExecutorEvent): void;
  /** Told before each retry, so the trace shows it. */
  retrying(stepId: string, attempt: number, error: { code: string; message: string }, delayMs: number): void;
}

/** An activation's sink: live events to `onEvents` (published at once, not journaled), retries into the journal. */
export function stepEvents(
  deps: EngineDeps,
  run: Pick<RunRecord, "tenantId" | "id" | "conversationId" | "channel">,
  journal: RunJournal,
): StepEvents {
  return {
    emit: (stepId, event) =>
      deps.onEvents?.(
        run.tenantId,
        run.id,
        [{ type: event.type, data: { stepId, text: event.text }, at: now() }],
        run.conversationId,
        undefined,
        run.channel,
      ),
    retrying: (stepId, attempt, error, delayMs) =>
      journal.event("step.retrying", { stepId, attempt, error, delayMs }),
  };
}
