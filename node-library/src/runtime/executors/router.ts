import type { routerNode } from "../../nodes/router";
import type { NodeExecutor } from "../executor";
import { DEFAULT_CONFIDENCE_THRESHOLD, routeMessage } from "../router/route-message";

const DEFAULT_MESSAGE_TEMPLATE = "{{ input.message }}";
// Step records stay small and readable; four decimals are far finer than any threshold anyone sets.
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Intent routing (DESIGN.md §3): the local classifier answers first and the model only when it is unsure.
 * The rendered message is classified as data, never rendered again. Streaming is off for the model tier: its
 * tokens are a JSON verdict for the engine, not text for the customer.
 */
export const routerExecutor: NodeExecutor<typeof routerNode> = async (ctx, config) => {
  const message = await ctx.render(config.message ?? DEFAULT_MESSAGE_TEMPLATE);
  const result = await routeMessage(config, message, {
    models: ctx.models,
    signal: ctx.signal,
    // Only the embeddings tier's cache needs the tenant.
    ...(config.embedding_model === undefined ? {} : { tenantId: ctx.tenant.id }),
  });
  return {
    output: {
      route: result.route,
      confidence: round(result.confidence),
      tier: result.tier,
      unsure: result.unsure,
      ...(result.model === undefined ? {} : { model: result.model }),
    },
    port: "out",
    ...(result.usage ? { usage: result.usage } : {}),
    // Local routing is pure (replay recomputes it); only a paid model's answer (chat or embeddings) must be
    // committed first.
    effect: result.paid,
    details: {
      tier: result.tier,
      scores: result.scores.slice(0, 3).map((s) => ({ intent: s.intent, score: round(s.score) })),
      localConfidence: round(result.localConfidence),
      threshold: config.confidence_threshold ?? DEFAULT_CONFIDENCE_THRESHOLD,
      unsure: result.unsure,
      tokensSaved: result.tokensSaved,
      ...(result.modelTier ? { modelTier: result.modelTier } : {}),
      ...(result.llm ? { llm: result.llm } : {}),
      ...(result.embeddings ? { embeddings: result.embeddings } : {}),
    },
  };
};
