import type { CelCost } from "./cel-bounds";
import { EvaluationLimitError } from "./evaluation-errors";

export const CEL_RUN_LIMITS = {
  /**
   * Worst-case loop steps of one evaluation: (largest list the loops can read) ^ (loop nesting). 100,000 simple
   * steps took 6–18 ms in cel-js 8 (schemas/CONTEXT.md), well short of what a health check would notice.
   */
  maxLoopSteps: 100_000,
  /** Values walked to find the largest list; more than this and the data alone is too big to loop over. */
  maxValuesWalked: 500_000,
} as const;

/** The longest list, map or (when the expression splits strings) string anywhere in the values. */
function largestCollection(values: readonly unknown[], countStrings: boolean): number {
  let largest = 0;
  let walked = 0;
  const stack: unknown[] = [...values];
  while (stack.length > 0) {
    const value = stack.pop();
    walked += 1;
    if (walked > CEL_RUN_LIMITS.maxValuesWalked) return Number.POSITIVE_INFINITY;
    if (typeof value === "string") {
      if (countStrings) largest = Math.max(largest, value.length + 1);
    } else if (Array.isArray(value)) {
      largest = Math.max(largest, value.length);
      for (const item of value) stack.push(item);
    } else if (value instanceof Map) {
      largest = Math.max(largest, value.size);
      for (const item of value.values()) stack.push(item);
    } else if (typeof value === "object" && value !== null) {
      const items = Object.values(value);
      largest = Math.max(largest, items.length);
      for (const item of items) stack.push(item);
    }
  }
  return largest;
}

/**
 * Refuses an evaluation whose loops could run longer than the budget on this data. Pessimistic on purpose
 * (`exists` may stop early): the bound must hold before the first step, since a running evaluation cannot be
 * interrupted on the event loop.
 */
export function checkCelBudget(cost: CelCost, context: Record<string, unknown>): void {
  const largest = Math.max(
    cost.largestLiteral,
    largestCollection(Object.values(context), cost.splitsStrings),
    1,
  );
  const steps = largest ** cost.loopDepth;
  if (steps > CEL_RUN_LIMITS.maxLoopSteps) {
    const size = Number.isFinite(largest) ? `${largest} items` : "too many values to count";
    throw new EvaluationLimitError(
      "maxLoopSteps",
      `loops nested ${cost.loopDepth} deep over a list of ${size} could take up to ${
        Number.isFinite(steps) ? steps.toExponential(1) : "unbounded"
      } steps; at most ${CEL_RUN_LIMITS.maxLoopSteps.toLocaleString("en")} are allowed`,
    );
  }
}
