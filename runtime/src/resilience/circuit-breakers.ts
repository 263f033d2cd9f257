import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from "cockatiel";

export type CircuitStateName = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open a circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long an open circuit fails fast before one trial call is let through (half-open). Default 30 000 ms. */
  readonly resetAfterMs?: number;
  /**
   * Which errors count as failures; others pass through without touching the count. Default: every error
   * except one that says otherwise with `countsTowardCircuit: false` (a bad request is the caller's fault,
   * not a sign that the service is down).
   */
  readonly isFailure?: (error: unknown) => boolean;
}

/** Thrown instead of calling through while a circuit is open. */
export class CircuitOpenError extends Error {
  constructor(readonly key: string) {
    super(`Circuit "${key}" is open.`);
    this.name = "CircuitOpenError";
  }
}

export interface CircuitBreakerRegistry {
  /** Runs `fn` through the breaker for `key`, created on first use. Throws `CircuitOpenError` while open. */
  execute<T>(key: string, fn: () => Promise<T>): Promise<T>;
  state(key: string): CircuitStateName;
}

export const DEFAULT_FAILURE_THRESHOLD = 5;

export function countsTowardCircuit(error: unknown): boolean {
  const flag = (error as { countsTowardCircuit?: unknown } | null)?.countsTowardCircuit;
  return typeof flag === "boolean" ? flag : true;
}
export const DEFAULT_RESET_AFTER_MS = 30_000;

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  // We never isolate circuits by hand; report it as what callers experience.
  [CircuitState.Isolated]: "open",
};

/**
 * One breaker per key (the model gateway uses provider + base URL + model), backed by cockatiel's
 * consecutive-failure breaker. While half-open, cockatiel lets one trial call through and makes concurrent
 * callers wait for its outcome rather than failing them.
 */
export function createCircuitBreakerRegistry(options: CircuitBreakerOptions = {}): CircuitBreakerRegistry {
  const failureThreshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
  const resetAfterMs = options.resetAfterMs ?? DEFAULT_RESET_AFTER_MS;
  const isFailure = options.isFailure ?? countsTowardCircuit;
  const breakers = new Map<string, CircuitBreakerPolicy>();

  function breakerFor(key: string): CircuitBreakerPolicy {
    let breaker = breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => isFailure(error)),
        { halfOpenAfter: resetAfterMs, breaker: new ConsecutiveBreaker(failureThreshold) },
      );
      breakers.set(key, breaker);
    }
    return breaker;
  }

  return {
    async execute(key, fn) {
      try {
        return await breakerFor(key).execute(() => fn());
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new CircuitOpenError(key);
        throw error;
      }
    },
    state(key) {
      const breaker = breakers.get(key);
      return breaker ? STATE_NAMES[breaker.state] : "closed";
    },
  };
}
