/** Model error codes (FD220–FD239, DESIGN.md §7), each with a one-line fix hint. */
export const MODEL_ERRORS = {
  FD220:
    "The model is unavailable (its circuit breaker is open after repeated failures); retry later or pick another model.",
  FD221:
    "The model service kept answering 429 (rate limited); lower the traffic, raise the plan's limits, or retry later.",
  FD222:
    "The model's answer could not be used (malformed JSON, tool arguments or structured output); retry or simplify the schema.",
  FD223:
    "The model did not answer within timeoutMs; raise the timeout, lower max_tokens, or use a faster model.",
  FD224:
    "The model service failed or could not be reached (5xx or connection error); check OPENAI_BASE_URL or retry later.",
  FD225:
    "The model service refused the request (4xx); check the model name, the tools and the response schema.",
  FD226:
    "The model service rejected the API key (401/403); set a valid key for the tenant or OPENAI_API_KEY.",
  FD227: "The model call was cancelled before it finished.",
  FD228: "The answer stream broke after text was already sent, so it was not retried; retry the step.",
  FD229: "The model provider is misconfigured; check the API key and base URL settings.",
} as const;

export type ModelErrorCode = keyof typeof MODEL_ERRORS;

export interface ModelErrorDetails {
  /** HTTP status from the model service, when there was one. */
  readonly status?: number;
  readonly provider?: string;
  readonly model?: string;
  /** Attempts made, retries included. */
  readonly attempts?: number;
  /** Whether the retry loop may try again (429, 5xx, connection resets). */
  readonly retryable?: boolean;
  /** The server's Retry-After, in ms. */
  readonly retryAfterMs?: number;
  /**
   * Whether this failure says the service is unhealthy, so it counts toward the circuit breaker. Caller faults
   * (4xx), rate limits (a per-key quota, so one tenant must not trip the breaker for all) and cancellations
   * do not.
   */
  readonly countsTowardCircuit?: boolean;
  /** The service's request id, for support tickets. */
  readonly requestId?: string;
}

/**
 * A model failure the engine understands: `code` is kept by the engine's `describeError`. It never carries
 * the SDK error as `cause`: SDK errors can quote request details, and a logged cause chain must not leak a key.
 */
export class ModelError extends Error {
  readonly hint: string;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly attempts: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly countsTowardCircuit: boolean;
  readonly requestId: string | undefined;

  constructor(
    readonly code: ModelErrorCode,
    message: string,
    details: ModelErrorDetails = {},
  ) {
    super(message);
    this.name = "ModelError";
    this.hint = MODEL_ERRORS[code];
    this.status = details.status;
    this.provider = details.provider;
    this.model = details.model;
    this.attempts = details.attempts;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.countsTowardCircuit = details.countsTowardCircuit ?? false;
    this.requestId = details.requestId;
  }

  /** The same failure, reported as final after `attempts` tries. */
  withAttempts(attempts: number): ModelError {
    const suffix = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    return new ModelError(this.code, `${this.message}${suffix}`, {
      ...this.details(),
      attempts,
      retryable: false,
    });
  }

  private details(): ModelErrorDetails {
    return {
      status: this.status,
      provider: this.provider,
      model: this.model,
      retryAfterMs: this.retryAfterMs,
      countsTowardCircuit: this.countsTowardCircuit,
      requestId: this.requestId,
    };
  }
}

// OpenAI keys (sk-…, sk-proj-…) and bearer tokens of any other OpenAI-compatible service.
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_-]{6,}/g, /\bBearer\s+[A-Za-z0-9._~+/=-]{6,}/gi];

/**
 * Removes the given secrets and anything shaped like an API key from text that may reach a log, a step trace
 * or the UI. Some services quote the key they refused in the error body.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, "[redacted]");
  return out;
}
