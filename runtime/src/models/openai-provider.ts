import type {
  Logger,
  ModelCallOptions,
  ModelGateway,
  ModelRequest,
  ModelResponse,
} from "@flowdeck/node-library/runtime";
import OpenAI from "openai";
import { CircuitOpenError, type CircuitBreakerRegistry } from "../resilience/circuit-breakers";
import { DEFAULT_MAX_BACKOFF_MS, RetriesExhaustedError, retryWithBackoff } from "../resilience/retry-policy";
import { sharedModelCircuitBreakers } from "./shared-circuit-breakers";
import { ModelError } from "./model-errors";
import { createOpenAiEmbedder } from "./openai-embeddings";
import { toModelError } from "./openai-errors";
import { toChatCompletionParams } from "./openai-request";
import {
  StreamedAnswer,
  parseStructuredOutput,
  parseToolCall,
  rawAnswerFromCompletion,
  type RawAnswer,
} from "./openai-response";
import { DEFAULT_PRICES, costOf, type ModelPrice } from "./price-table";
import { estimatePromptTokens, estimateTokens } from "./token-estimate";

export interface OpenAiProviderOptions {
  readonly apiKey: string;
  /** Any OpenAI-compatible service, e.g. `http://127.0.0.1:8080/v1`. Default: OpenAI's own API. */
  readonly baseURL?: string;
  /** Extra or overriding prices, merged over `DEFAULT_PRICES`. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Per attempt, from sending the request to the last streamed chunk. Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Attempts in total, the first included (429, 5xx and connection errors are retried). Default 4. */
  readonly maxAttempts?: number;
  /** The first backoff; later ones double, with jitter. Default 500 ms. */
  readonly baseBackoffMs?: number;
  /** Cap on any wait between attempts; a longer Retry-After ends the call with FD221. Default 20 000 ms. */
  readonly maxBackoffMs?: number;
  /** Breakers per provider + base URL + model. Default: one registry shared by the whole process. */
  readonly circuitBreakers?: CircuitBreakerRegistry;
  /** Default: warnings to stderr, nothing else. */
  readonly log?: Logger;
  /** Reported as `provider` and used in breaker keys. Default "openai". */
  readonly providerName?: string;
  /** Test seams for the backoff. */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
const OPENAI_BASE_URL = "https://api.openai.com/v1";

const stderrLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => console.warn(`[flowdeck:models] ${message}`, fields ?? ""),
  error: (message, fields) => console.error(`[flowdeck:models] ${message}`, fields ?? ""),
};

// Once per process and model: the engine builds a gateway per step, and a warning per call would drown logs.
const warnedUnpricedModels = new Set<string>();

/**
 * A throwing `onToken` is the caller's bug, not the service's: the attempt stops and reports success to the
 * breaker (so a broken listener cannot open the circuit for every tenant), then the caller gets its own error.
 */
interface ListenerState {
  failure?: { readonly error: unknown };
}

function streamEndedEarly(context: { provider: string; model: string }, streamedText: boolean): ModelError {
  const message = `The answer stream from ${context.model} ended before the answer was complete.`;
  return streamedText
    ? new ModelError("FD228", message, { ...context, countsTowardCircuit: true })
    : new ModelError("FD224", message, { ...context, retryable: true, countsTowardCircuit: true });
}

/**
 * A `ModelGateway` on the `openai` package. The SDK's own retries are off: ours honour Retry-After with a cap,
 * never repeat a stream that already reached the customer, and feed a circuit breaker shared across tenants.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelGateway {
  const trimmedKey = options.apiKey?.trim();
  if (!trimmedKey) throw new ModelError("FD229", "createOpenAiProvider needs a non-empty apiKey.");
  const apiKey: string = trimmedKey;
  const baseURL = options.baseURL?.trim() || OPENAI_BASE_URL;
  if (!URL.canParse(baseURL)) throw new ModelError("FD229", "The model base URL is not a valid URL.");
  const provider = options.providerName ?? "openai";
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  const prices = { ...DEFAULT_PRICES, ...options.prices };
  const breakers = options.circuitBreakers ?? sharedModelCircuitBreakers;
  const log = options.log ?? stderrLogger;
  const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs });

  async function attempt(
    request: ModelRequest,
    params: ReturnType<typeof toChatCompletionParams>,
    callOptions: ModelCallOptions,
    listener: ListenerState,
  ): Promise<RawAnswer> {
    const controller = new AbortController();
    let timedOut = false;
    let streamedText = false;
    const onCallerAbort = () => controller.abort();
    callOptions.signal.addEventListener("abort", onCallerAbort, { once: true });
    if (callOptions.signal.aborted) controller.abort();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      if (!callOptions.onToken) {
        const { data, request_id } = await client.chat.completions
          .create({ ...params, stream: false }, { signal: controller.signal })
          .withResponse();
        return rawAnswerFromCompletion(data, request_id ?? undefined);
      }
      const { data: stream, request_id } = await client.chat.completions
        .create(
          { ...params, stream: true, stream_options: { include_usage: true } },
          { signal: controller.signal },
        )
        .withResponse();
      const answer = new StreamedAnswer();
      for await (const chunk of stream) {
        const added = answer.add(chunk);
        if (!added) continue;
        streamedText = true;
        try {
          callOptions.onToken(added);
        } catch (error) {
          listener.failure = { error };
          break;
        }
      }
      if (listener.failure) return answer.result();
      // The SDK ends an aborted stream quietly, as if it were complete: a cut answer must not pass as whole.
      if (controller.signal.aborted) throw new Error("The stream was aborted.");
      const result = answer.result(request_id ?? undefined);
      // Every complete answer ends with a finish_reason; without one the stream was cut short.
      if (!result.finishReason) throw streamEndedEarly({ provider, model: request.model }, streamedText);
      return result;
    } catch (error) {
      throw toModelError(error, {
        provider,
        model: request.model,
        secrets: [apiKey],
        timeoutMs,
        timedOut,
        cancelled: callOptions.signal.aborted,
        streamedText,
      });
    } finally {
      clearTimeout(timer);
      callOptions.signal.removeEventListener("abort", onCallerAbort);
    }
  }

  function finalError(error: unknown, request: ModelRequest, signal: AbortSignal): unknown {
    const context = { provider, model: request.model };
    if (error instanceof CircuitOpenError) {
      return new ModelError(
        "FD220",
        `${request.model} at ${provider} is unavailable: its circuit breaker is open after repeated failures.`,
        context,
      );
    }
    if (error instanceof RetriesExhaustedError) {
      const last = error.lastError;
      if (!(last instanceof ModelError)) return last;
      const final = last.withAttempts(error.attempts);
      if (
        last.retryAfterMs !== undefined &&
        last.retryAfterMs > (options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS)
      ) {
        return new ModelError(
          final.code,
          `${final.message}; the service asked to wait ${Math.ceil(last.retryAfterMs / 1000)} s, more than maxBackoffMs`,
          { ...context, status: final.status, attempts: final.attempts, requestId: final.requestId },
        );
      }
      return final;
    }
    // Cancelled while waiting to retry: the sleep rejects with the signal's reason.
    if (signal.aborted && !(error instanceof ModelError)) {
      return new ModelError("FD227", `The call to ${request.model} was cancelled.`, context);
    }
    return error;
  }

  function toResponse(answer: RawAnswer, request: ModelRequest): ModelResponse {
    const model = answer.model || request.model;
    const context = { provider, model };
    const toolCalls = answer.toolCalls.map((call) => parseToolCall(call, context));
    // An answer that asks for tools is not the final answer yet, so it carries no structured output.
    const data =
      request.responseSchema && toolCalls.length === 0 ? parseStructuredOutput(answer, context) : undefined;
    const tokens = answer.usage ?? {
      promptTokens: estimatePromptTokens(request.messages),
      completionTokens: estimateTokens(answer.text),
    };
    let cost = costOf(model, tokens, prices);
    if (!cost.known) cost = costOf(request.model, tokens, prices);
    if (!cost.known && !warnedUnpricedModels.has(`${provider}|${request.model}`)) {
      warnedUnpricedModels.add(`${provider}|${request.model}`);
      log.warn(
        `No price for model "${request.model}"; its calls are recorded with cost 0. Pass prices to fix.`,
        {
          provider,
          model: request.model,
        },
      );
    }
    return {
      text: answer.text || (answer.refusal ?? ""),
      ...(data === undefined ? {} : { data }),
      toolCalls,
      usage: { ...tokens, costUsd: cost.costUsd },
      model,
      provider,
      offline: false,
    };
  }

  const embed = createOpenAiEmbedder({
    client,
    provider,
    baseURL,
    apiKey,
    timeoutMs,
    prices,
    breakers,
    maxAttempts: options.maxAttempts,
    baseBackoffMs: options.baseBackoffMs,
    maxBackoffMs: options.maxBackoffMs,
    random: options.random,
    sleep: options.sleep,
  });

  return {
    provider,
    offline: false,
    embed,
    async complete(request, callOptions) {
      const breakerKey = `${provider}|${baseURL}|${request.model}`;
      if (callOptions.signal.aborted) {
        throw new ModelError("FD227", `The call to ${request.model} was cancelled.`, {
          provider,
          model: request.model,
        });
      }
      const params = toChatCompletionParams(request);
      const listener: ListenerState = {};
      let answer: RawAnswer;
      try {
        answer = await retryWithBackoff(
          () => breakers.execute(breakerKey, () => attempt(request, params, callOptions, listener)),
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
            onRetry: ({ attempt: attemptNumber, delayMs, error }) => {
              const detail = error instanceof ModelError ? { code: error.code, status: error.status } : {};
              log.warn("Model call failed; retrying", {
                provider,
                model: request.model,
                attempt: attemptNumber,
                delayMs,
                ...detail,
              });
            },
          },
        );
      } catch (error) {
        throw finalError(error, request, callOptions.signal);
      }
      if (listener.failure) throw listener.failure.error;
      return toResponse(answer, request);
    },
  };
}
