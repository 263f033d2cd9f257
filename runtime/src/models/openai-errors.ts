import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { parseRetryAfterMs } from "../resilience/retry-after";
import { ModelError, redactSecrets } from "./model-errors";

export interface AttemptContext {
  readonly provider: string;
  readonly model: string;
  /** Redacted from every message. */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  /** Our per-attempt timer fired. */
  readonly timedOut: boolean;
  /** The caller's signal aborted. */
  readonly cancelled: boolean;
  /** Text already went to `onToken`: retrying would repeat it to the customer. */
  readonly streamedText: boolean;
}

// Statuses worth another try: the service is overloaded or briefly broken, not refusing us.
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/**
 * Turns whatever one attempt threw into a `ModelError` with retry and circuit-breaker flags. Messages are
 * rebuilt from the status and the service's own error text, redacted, so nothing from the request leaks.
 */
export function toModelError(error: unknown, context: AttemptContext): ModelError {
  const base = { provider: context.provider, model: context.model };
  if (error instanceof ModelError) return error;
  // Abort and timeout come first: the SDK reports both as an abort, and mid-stream they surface as a plain end.
  if (context.cancelled) {
    return new ModelError("FD227", `The call to ${context.model} was cancelled.`, base);
  }
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new ModelError("FD223", `${context.model} did not answer within ${context.timeoutMs} ms.`, {
      ...base,
      countsTowardCircuit: true,
    });
  }
  if (error instanceof APIUserAbortError) {
    return new ModelError("FD227", `The call to ${context.model} was cancelled.`, base);
  }
  const transient = transientFailure(error, context);
  if (transient) {
    if (context.streamedText) {
      return new ModelError("FD228", `The answer stream from ${context.model} broke: ${transient.message}`, {
        ...base,
        status: transient.status,
        requestId: transient.requestId,
        countsTowardCircuit: true,
      });
    }
    return transient;
  }
  if (error instanceof APIError && error.status !== undefined) {
    const code = error.status === 401 || error.status === 403 ? "FD226" : "FD225";
    return new ModelError(
      code,
      `The model service answered ${error.status}: ${serviceMessage(error, context)}`,
      {
        ...base,
        status: error.status,
        requestId: error.requestID ?? undefined,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError(
    "FD222",
    `Unexpected failure calling ${context.model}: ${redact(message, context)}`,
    base,
  );
}

function transientFailure(error: unknown, context: AttemptContext): ModelError | undefined {
  const base = { provider: context.provider, model: context.model };
  if (error instanceof APIError && error.status !== undefined) {
    const shouldRetry = error.headers?.get("x-should-retry");
    const retryable =
      shouldRetry === "false"
        ? false
        : shouldRetry === "true" || RETRYABLE_STATUSES.has(error.status) || error.status >= 500;
    if (!retryable) return undefined;
    const rateLimited = error.status === 429;
    return new ModelError(
      rateLimited ? "FD221" : "FD224",
      `The model service answered ${error.status}: ${serviceMessage(error, context)}`,
      {
        ...base,
        status: error.status,
        requestId: error.requestID ?? undefined,
        retryable: true,
        retryAfterMs: parseRetryAfterMs(error.headers),
        // A 429 is the key's quota: it must not open the breaker that other tenants share.
        countsTowardCircuit: !rateLimited,
      },
    );
  }
  // Connection refused or reset, an SSE `error` event, or the body cut off mid-stream (undici's "terminated").
  if (error instanceof APIConnectionError || error instanceof APIError || error instanceof TypeError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new ModelError(
      "FD224",
      `Could not get an answer from the model service (${redact(error.message + cause, context)}).`,
      { ...base, retryable: true, countsTowardCircuit: true },
    );
  }
  return undefined;
}

function serviceMessage(error: APIError, context: AttemptContext): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === "string" ? body.message : error.message;
  return redact(text, context);
}

function redact(text: string, context: AttemptContext): string {
  const clean = redactSecrets(text, context.secrets);
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}
