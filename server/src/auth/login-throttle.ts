/**
 * Failed-login throttle per (email, IP), in memory. A decision for now: one process serves the API until queue
 * mode lands (issue 7); with several server processes each keeps its own counts, so the effective limit is
 * multiplied by the process count. A shared store (Redis) replaces this map then.
 */
export interface LoginThrottle {
  /** Seconds to wait, or 0 when a login attempt is allowed now. */
  retryAfterSeconds(key: string, nowMs?: number): number;
  recordFailure(key: string, nowMs?: number): void;
  recordSuccess(key: string): void;
}

export interface LoginThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Upper bound on tracked keys, so a spray of random emails cannot grow memory without limit. */
  readonly maxKeys?: number;
}

export function loginThrottleKey(email: string, ip: string): string {
  return `${email.trim().toLowerCase()}\u0000${ip}`;
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const maxKeys = options.maxKeys ?? 100_000;
  const failures = new Map<string, number[]>();

  function recent(key: string, nowMs: number): number[] {
    const list = (failures.get(key) ?? []).filter((at) => nowMs - at < options.windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  }

  return {
    retryAfterSeconds(key, nowMs = Date.now()) {
      const list = recent(key, nowMs);
      if (list.length < options.maxFailures) return 0;
      const oldest = list[list.length - options.maxFailures]!;
      return Math.max(1, Math.ceil((oldest + options.windowMs - nowMs) / 1000));
    },
    recordFailure(key, nowMs = Date.now()) {
      const list = recent(key, nowMs);
      list.push(nowMs);
      failures.set(key, list);
      if (failures.size > maxKeys) {
        // Maps iterate in insertion order: drop the oldest key.
        const first = failures.keys().next();
        if (!first.done) failures.delete(first.value);
      }
    },
    recordSuccess(key) {
      failures.delete(key);
    },
  };
}
