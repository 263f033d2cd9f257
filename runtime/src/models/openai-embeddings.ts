import type { EmbeddingRequest, EmbeddingResponse } from "@flowdeck/node-library/runtime";
import type OpenAI from "openai";
import { CircuitOpenError, type CircuitBreakerRegistry } from "../resilience/circuit-breakers";
import { RetriesExhaustedError, retryWithBackoff } from "../resilience/retry-policy";
import { ModelError } from "./model-errors";
import { toModelError } from "./openai-errors";
import { costOf, type ModelPrice } from "./price-table";
import { estimateTokens } from "./token-estimate";

/**
 * `embed` of the OpenAI provider: POST /embeddings through the same client, retry policy and circuit breakers
 * as chat calls (breaker key `<provider>|<baseURL>|<model>`, so a failing embedding model does not open the
 * chat model's circuit). Vectors come back in input order whatever order the service lists them in.
 */

export interface EmbedderOptions {
  readonly client: OpenAI;
  readonly provider: string;
  readonly baseURL: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly prices: Readonly<Record<string, ModelPrice>>;
  readonly breakers: CircuitBreakerRegistry;
  readonly maxAttempts?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function createOpenAiEmbedder(options: EmbedderOptions) {
  const { client, provider, baseURL, apiKey, timeoutMs } = options;

  async function attempt(request: EmbeddingRequest, signal: AbortSignal) {
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) controller.abort();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      return await client.embeddings.create(
        { model: request.model, input: [...request.input], encoding_format: "float" },
        { signal: controller.signal },
      );
    } catch (error) {
      throw toModelError(error, {
        provider,
        model: request.model,
        secrets: [apiKey],
        timeoutMs,
        timedOut,
        cancelled: signal.aborted,
        streamedText: false,
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  return async function embed(
    request: EmbeddingRequest,
    callOptions: { readonly signal: AbortSignal },
  ): Promise<EmbeddingResponse> {
    const context = { provider, model: request.model };
    if (callOptions.signal.aborted) {
      throw new ModelError("FD227", `The call to ${request.model} was cancelled.`, context);
    }
    let answer;
    try {
      answer = await retryWithBackoff(
        () =>
          options.breakers.execute(`${provider}|${baseURL}|${request.model}`, () =>
            attempt(request, callOptions.signal),
          ),
        {
          maxAttempts: options.maxAttempts,
          baseBackoffMs: options.baseBackoffMs,
          maxBackoffMs: options.maxBackoffMs,
          random: options.random,
          sleep: options.sleep,
          signal: callOptions.signal,
          decide: (error) =>
            error instanceof ModelError && error.retryable
              ? { retry: true, afterMs: error.retryAfterMs }
              : { retry: false },
        },
      );
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        throw new ModelError(
          "FD220",
          `${request.model} at ${provider} is unavailable: its circuit is open.`,
          context,
        );
      }
      if (error instanceof RetriesExhaustedError) {
        const last = error.lastError;
        throw last instanceof ModelError ? last.withAttempts(error.attempts) : last;
      }
      throw error;
    }
    const vectors: number[][] = new Array<number[]>(request.input.length);
    for (const item of answer.data) vectors[item.index] = item.embedding;
    if (vectors.length !== request.input.length || vectors.some((v) => !Array.isArray(v))) {
      throw new ModelError("FD222", `${request.model} did not return one embedding per input.`, context);
    }
    const promptTokens =
      answer.usage?.prompt_tokens ?? request.input.reduce((n, text) => n + estimateTokens(text), 0);
    const tokens = { promptTokens, completionTokens: 0 };
    return {
      vectors,
      usage: { ...tokens, costUsd: costOf(answer.model || request.model, tokens, options.prices).costUsd },
      model: answer.model || request.model,
      provider,
    };
  };
}
