import type { ModelGateway, TokenUsage } from "../context";
import { classifierFor } from "./classifier-cache";
import { classifyByEmbeddings } from "./embedding-tier";
import type { IntentScore, IntentSpec } from "./intent-classifier";
import { askModelForIntent, buildIntentRequest, LLM_MESSAGE_MAX_CHARS } from "./llm-tier";
import type { LlmAnswer } from "./llm-tier";
import { chooseModelTier } from "./model-tiers";
import type { ModelTier, TierChoice } from "./model-tiers";
import { estimateCallTokens, estimateTokens } from "./token-estimate";

/**
 * Routing one message: the local classifier first; below the threshold, the embeddings tier when the flow
 * names an `embedding_model` (embedding-tier.ts), then the language model when one is configured and a real
 * provider is available. An embeddings answer at or above the threshold decides (tier `embeddings`); one
 * below it, or a failed embedding call, passes on as if the tier were absent. What each outcome means:
 *
 * | local confidence | LLM available | LLM answer         | route                               | tier  |
 * |------------------|---------------|--------------------|-------------------------------------|-------|
 * | ≥ threshold      | (not asked)   |                    | local top                           | local |
 * | < threshold      | no            |                    | local top (or fallback, see below)  | local |
 * | < threshold      | yes           | a listed intent    | that intent                         | llm   |
 * | < threshold      | yes           | "unsure"           | fallback_intent, else local top     | llm   |
 * | < threshold      | yes           | garbage / failure  | local top (or fallback, see below)  | local |
 *
 * `unsure` is true whenever nobody was confident. Without a model that could decide, the local top intent is
 * the best guess there is (issue 16: with a 0.55 threshold and a fallback to a person, 17 of 20 ordinary
 * messages went to a human although the top guess was right for 17), so it is the route, marked unsure;
 * `low_confidence_route: fallback_intent` is how a flow that wants the fallback for those says so on purpose.
 * A model answering "unsure" is a decision that nothing fits, so it takes `fallback_intent` as before.
 * Cancellation (the step's AbortSignal) is never swallowed: an aborted model call rejects `routeMessage`.
 */

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;
/** The classifier reads at most this much: the intent shows early, and scoring cost grows with length. */
const LOCAL_MESSAGE_MAX_CHARS = 2_000;

export type LowConfidenceRoute = "best_intent" | "fallback_intent";

export interface RouterConfig {
  readonly intents: readonly IntentSpec[];
  readonly confidence_threshold?: number;
  readonly model?: string;
  readonly fallback_intent?: string;
  readonly low_confidence_route?: LowConfidenceRoute;
  readonly embedding_model?: string;
  readonly model_tiers?: readonly ModelTier[];
}

export interface RouteOptions {
  readonly models: ModelGateway;
  readonly signal: AbortSignal;
  /** Scopes the embeddings tier's cache of embedded examples (one tenant's calls never serve another's). */
  readonly tenantId?: string;
  readonly onToken?: (text: string) => void;
}

export interface LlmTrace {
  readonly model: string;
  /** The intent the model named, `unsure`, or null when it failed or answered something unusable. */
  readonly answer: string | null;
  readonly error?: string;
}

export interface EmbeddingTrace {
  readonly model: string;
  /** The most similar intent, or null when the call failed. */
  readonly answer: string | null;
  readonly similarity?: number;
  /** How clearly the answer stood out (softmax over similarities); the tier decides at ≥ the threshold. */
  readonly confidence?: number;
  readonly error?: string;
}

export interface RouteResult {
  readonly route: string;
  /**
   * 0..1: the local tier's calibrated confidence, the embeddings tier's when it decided, or the model's own
   * when the model decided.
   */
  readonly confidence: number;
  readonly tier: "local" | "embeddings" | "llm";
  /** Every intent, best first, as the local tier scored them. */
  readonly scores: readonly IntentScore[];
  /** The local tier's confidence, kept when the model decided (for analytics and threshold tuning). */
  readonly localConfidence: number;
  /** Nobody was confident enough: the route is the best guess or the fallback. */
  readonly unsure: boolean;
  /** Chosen from `model_tiers` for the steps downstream. */
  readonly model?: string;
  readonly modelTier?: TierChoice;
  /** Present when a model was called, even if its answer was not used. */
  readonly usage?: TokenUsage;
  readonly llm?: LlmTrace;
  /** Present when the embeddings tier ran, even if it did not decide. */
  readonly embeddings?: EmbeddingTrace;
  /** A paid model answered: the step has an effect outside the run and must be committed at once. */
  readonly paid: boolean;
  /**
   * Tokens the LLM classification would have cost (estimated prompt + answer, see token-estimate.ts) when the
   * local tier decided; 0 when a model was called.
   */
  readonly tokensSaved: number;
}

function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (!a || !b) return a ?? b;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

export async function routeMessage(
  config: RouterConfig,
  message: string,
  options: RouteOptions,
): Promise<RouteResult> {
  const threshold = config.confidence_threshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const classification = classifierFor(config.intents).classify(message.slice(0, LOCAL_MESSAGE_MAX_CHARS));
  const top = classification.ranked[0]!;
  const localConfidence = classification.confidence;
  const tierChoice = config.model_tiers ? chooseModelTier(config.model_tiers, message) : undefined;
  const fallbackRoute = config.fallback_intent ?? top.intent;
  // Nobody could decide: the best guess, unless the flow asked for its fallback on purpose.
  const undecidedRoute = config.low_confidence_route === "fallback_intent" ? fallbackRoute : top.intent;
  const blank = message.trim() === "";

  // What the embeddings tier did, when it ran: its trace, usage and whether it was paid.
  let embeddings: EmbeddingTrace | undefined;
  let spent: TokenUsage | undefined;
  let paidSoFar = false;
  const common = () => ({
    scores: classification.ranked,
    localConfidence,
    ...(tierChoice ? { model: tierChoice.model, modelTier: tierChoice } : {}),
    ...(embeddings ? { embeddings } : {}),
  });

  function local(unsure: boolean, extra: { usage?: TokenUsage; llm?: LlmTrace; paid?: boolean } = {}) {
    const llmCalled = extra.llm !== undefined;
    const usage = addUsage(spent, extra.usage);
    return {
      ...common(),
      route: unsure ? undecidedRoute : top.intent,
      confidence: localConfidence,
      tier: "local" as const,
      unsure,
      paid: paidSoFar || (extra.paid ?? false),
      tokensSaved: llmCalled ? 0 : savedTokens(config.intents, message),
      ...(usage ? { usage } : {}),
      ...(extra.llm ? { llm: extra.llm } : {}),
    };
  }

  if (localConfidence >= threshold) return local(false);
  const models = options.models;
  // A blank message has nothing for a model to read either.
  if (config.embedding_model !== undefined && !models.offline && models.embed && !blank) {
    const model = config.embedding_model;
    try {
      const byEmbeddings = await classifyByEmbeddings(
        models,
        model,
        options.tenantId ?? "",
        config.intents,
        message.slice(0, LLM_MESSAGE_MAX_CHARS),
        options.signal,
      );
      const best = byEmbeddings.ranked[0]!;
      spent = byEmbeddings.usage;
      paidSoFar = true;
      embeddings = {
        model: byEmbeddings.model,
        answer: best.intent,
        similarity: best.similarity,
        confidence: byEmbeddings.confidence,
      };
      if (byEmbeddings.confidence >= threshold) {
        return {
          ...common(),
          route: best.intent,
          confidence: byEmbeddings.confidence,
          tier: "embeddings",
          unsure: false,
          paid: true,
          tokensSaved: savedTokens(config.intents, message),
          usage: byEmbeddings.usage,
        };
      }
    } catch (error) {
      if (options.signal.aborted) throw error;
      embeddings = { model, answer: null, error: errorText(error) };
    }
  }
  if (config.model === undefined || models.offline || blank) return local(true);

  let result;
  try {
    result = await askModelForIntent(models, config.model, config.intents, message, options);
  } catch (error) {
    if (options.signal.aborted) throw error;
    return local(true, { llm: { model: config.model, answer: null, error: errorText(error) } });
  }
  const paid = !result.offline;
  const answer: LlmAnswer = result.answer;
  if (answer.kind === "invalid") {
    const llm = { model: result.model, answer: null, error: answer.reason };
    return local(true, { usage: result.usage, llm, paid });
  }
  const llm = { model: result.model, answer: answer.kind === "intent" ? answer.intent : "unsure" };
  const decided = answer.kind === "intent";
  return {
    ...common(),
    route: decided ? answer.intent : fallbackRoute,
    // A model that names an intent but no usable confidence is taken as just confident enough.
    confidence: decided ? (answer.confidence ?? threshold) : localConfidence,
    tier: "llm",
    unsure: !decided,
    usage: addUsage(spent, result.usage)!,
    llm,
    paid: paid || paidSoFar,
    tokensSaved: 0,
  };
}

// The prompt without the message is the same for every message of a config: estimate it once.
const promptTokensWithoutMessage = new WeakMap<readonly IntentSpec[], number>();

function savedTokens(intents: readonly IntentSpec[], message: string): number {
  let base = promptTokensWithoutMessage.get(intents);
  if (base === undefined) {
    const request = buildIntentRequest(intents, "");
    base = estimateCallTokens(request.messages, request.expectedCompletionTokens);
    promptTokensWithoutMessage.set(intents, base);
  }
  return base + estimateTokens(message.slice(0, LLM_MESSAGE_MAX_CHARS));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
