import { abortableSleep } from "./abortable-sleep";

/** What to do after a failed attempt. `afterMs` is the server's Retry-After, when it gave one. */
export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly afterMs?: number };

export interface RetryOptions {
  /** Attempts in total, the first one included. Default 4. */
  readonly maxAttempts?: number;
  /** The first backoff; each later one doubles. Default 500 ms. */
  readonly baseBackoffMs?: number;
  /** Cap on any single wait, Retry-After included. Default 20 000 ms. */
  readonly maxBackoffMs?: number;
  /** Classifies a failure. Errors it does not call retryable end the loop at once. */
  readonly decide: (error: unknown) => RetryDecision;
  /** Cancels the waits between attempts too. */
  readonly signal: AbortSignal;
  /** Told before each wait; useful for logs and tests. */
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: unknown;
  }) => void;
  /** Test seams. */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_BASE_BACKOFF_MS = 500;
export const DEFAULT_MAX_BACKOFF_MS = 20_000;

/** Thrown (as the last error's wrapper) so callers can say how many attempts were made. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(`Gave up after ${attempts} attempt(s).`, { cause: lastError });
    this.name = "RetriesExhaustedError";
  }
}

/**
 * Exponential backoff with "equal jitter": half the exponential step is kept and half is random, so clients
 * that failed together spread out, yet none retries almost immediately (full jitter can pick ~0 ms).
 */
export function backoffDelayMs(
  attempt: number,
  options: { baseBackoffMs: number; maxBackoffMs: number; random: () => number },
): number {
  const exponential = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + options.random() * (exponential / 2));
}

/**
 * Runs `fn` until it succeeds, a failure is not retryable, or `maxAttempts` is reached. A server's Retry-After
 * is honoured exactly; when it asks for longer than `maxBackoffMs` we give up instead of waiting less than it
 * asked (which would only earn another 429) or longer than the run can afford.
 *
 * When every attempt was used up, or a Retry-After was too long, the last error is wrapped in
 * `RetriesExhaustedError`; a non-retryable error is rethrown as it is.
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const baseBackoffMs = options.baseBackoffMs ?? DEFAULT_BASE_BACKOFF_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = options.signal.aborted ? ({ retry: false } as const) : options.decide(error);
      if (!decision.retry) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(error, attempt);
      if (decision.afterMs !== undefined && decision.afterMs > maxBackoffMs) {
        throw new RetriesExhaustedError(error, attempt);
      }
      const delayMs = decision.afterMs ?? backoffDelayMs(attempt, { baseBackoffMs, maxBackoffMs, random });
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
