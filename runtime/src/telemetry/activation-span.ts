import type { RunRecord } from "../engine/run-types";
import { inSpan } from "./runtime-tracer";

/**
 * `run.activation`: one activation of a run (from its stored cursor until it waits, is handed off, completes
 * or fails), the parent of its step spans. Ids only; the run's input and conversation stay out.
 */
export function inActivationSpan<T>(run: RunRecord, work: () => Promise<T>): Promise<T> {
  return inSpan(
    "run.activation",
    {
      attributes: {
        "flowdeck.tenant.id": run.tenantId,
        "flowdeck.workflow.name": run.workflowName,
        ...(run.workflowVersion !== null ? { "flowdeck.workflow.version": run.workflowVersion } : {}),
        "flowdeck.run.id": run.id,
        "flowdeck.conversation.id": run.conversationId,
        "flowdeck.run.status_before": run.status,
      },
    },
    work,
  );
}
