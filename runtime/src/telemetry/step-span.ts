import type { WorkflowNode } from "@flowdeck/schemas";
import { inSpan, markFailed } from "./runtime-tracer";

/** What the span needs of a step's result: whether it succeeded, its error code, how many tries it took. */
export interface StepSpanOutcome {
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: { readonly code: string };
}

/**
 * `step <node type>`: one step of an activation, the parent of its model and HTTP calls. A failed step is an
 * error span with the failure's code (never its message).
 */
export function inStepSpan<T extends StepSpanOutcome>(
  node: WorkflowNode,
  stepId: string,
  work: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `step ${node.type}`,
    {
      attributes: {
        "flowdeck.step.id": stepId,
        "flowdeck.node.name": node.name,
        "flowdeck.node.type": node.type,
      },
    },
    async (span) => {
      const outcome = await work();
      span.setAttributes({
        "flowdeck.step.outcome": outcome.ok ? "ok" : "failed",
        "flowdeck.step.attempts": outcome.attempts,
      });
      if (!outcome.ok) markFailed(span, outcome.error?.code ?? "FD200");
      return outcome;
    },
  );
}
