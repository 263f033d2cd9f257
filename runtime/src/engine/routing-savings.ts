import type { NodeExecutor } from "@flowdeck/node-library/runtime";
import { costOf, type ModelPrice } from "../models/price-table";

/** The model an LLM classification would have used when the router names none: the agent's default. */
const BASELINE_ROUTER_MODEL = "gpt-4o-mini";

/**
 * Money saved by local routing (issue 16: savings were only ever shown in tokens). A router step the local
 * classifier decided records `details.tokensSaved`, the estimated tokens of the LLM classification it avoided;
 * this adds `details.savedUsd` = those tokens at the configured input price of the router's `model` (or
 * gpt-4o-mini when it has none: the baseline is "a model classifies every message"), and `savedModel`.
 * All saved tokens are priced as input: the avoided answer is a one-word intent, so this slightly
 * understates the saving rather than guessing an output share. An unpriced model saves 0, like its calls cost 0.
 * Recorded on the step at run time, so the trace, the run list and analytics add up the same numbers.
 */
export function withRoutingSavings(
  router: NodeExecutor,
  prices: Readonly<Record<string, ModelPrice>>,
): NodeExecutor {
  return async (ctx, config) => {
    const result = await router(ctx, config);
    const tokensSaved = result.details?.tokensSaved;
    if (typeof tokensSaved !== "number" || tokensSaved <= 0) return result;
    const configured = (config as { model?: unknown }).model;
    const model = typeof configured === "string" && configured ? configured : BASELINE_ROUTER_MODEL;
    const { costUsd } = costOf(model, { promptTokens: tokensSaved, completionTokens: 0 }, prices);
    return { ...result, details: { ...result.details, savedUsd: costUsd, savedModel: model } };
  };
}
