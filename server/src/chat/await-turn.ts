import type { RunEvent } from "@flowdeck/runtime";
import type { RunEventBatch, RunHost } from "../runs/run-host";

const SETTLING = new Set(["run.waiting", "run.handoff", "run.completed", "run.failed", "run.cancelled"]);

export interface Turn {
  /** Every committed batch of the conversation from the watch's start, in order. */
  readonly batches: readonly RunEventBatch[];
  /** The event that ended the turn, or undefined on timeout. */
  readonly settledBy: RunEvent | undefined;
}

/**
 * Watches a conversation from now until one of its runs stops (waits, hands off, ends) or `timeoutMs` passes.
 * Call it *before* handing the message to the RunHost: the answer to a resumed run can settle before
 * `message()` returns, and the run record it returns may still say `waiting` from the previous turn.
 */
export function watchTurn(
  runs: RunHost,
  tenantId: string,
  conversationId: string,
): { until(timeoutMs: number): Promise<Turn>; cancel(): void } {
  const batches: RunEventBatch[] = [];
  let settledBy: RunEvent | undefined;
  let wake: (() => void) | undefined;
  const unsubscribe = runs.subscribe(tenantId, (batch) => {
    if (batch.conversationId !== conversationId) return;
    batches.push(batch);
    const last = batch.events.find((event) => SETTLING.has(event.type));
    if (last && !settledBy) {
      settledBy = last;
      wake?.();
    }
  });
  return {
    async until(timeoutMs) {
      if (!settledBy) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      unsubscribe();
      return { batches, settledBy };
    },
    cancel: unsubscribe,
  };
}
