/**
 * Readiness as a list of named checks (database, queue, workers …): `/readyz` runs them all in parallel and
 * answers 503 naming the ones that failed. Checks are plugged in through createApp's `readinessChecks`.
 */
export interface ReadinessCheck {
  /** Shown in `/readyz` answers: `database`, `queue`, `workers`. */
  readonly name: string;
  /** Resolves when the dependency is usable; throws (any error) when not. Aborted at `timeoutMs`. */
  check(signal: AbortSignal): Promise<void>;
  /** Default 2 000 ms: a probe that hangs is a failure, not a hung probe. */
  readonly timeoutMs?: number;
  /** One line for the 503 answer, e.g. "Check that Redis (REDIS_URL) is reachable, then retry." */
  readonly hint?: string;
}

export type CheckOutcome = "ok" | "failed" | "timeout";

export interface ReadinessReport {
  readonly ready: boolean;
  /** Every check's outcome by name. Error messages are not included: /readyz is public. */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
  /** The failed checks, in list order, with their error (for the log only) and hint. */
  readonly failures: readonly { name: string; outcome: CheckOutcome; error: unknown; hint?: string }[];
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

export async function runReadinessChecks(checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (check) => {
      const controller = new AbortController();
      try {
        // A check that throws synchronously is a failure like any other.
        const running = Promise.resolve().then(() => check.check(controller.signal));
        await withTimeout(running, check.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
        return { check, outcome: "ok" as CheckOutcome, error: undefined };
      } catch (error) {
        const outcome: CheckOutcome = error instanceof ReadinessTimeout ? "timeout" : "failed";
        controller.abort(error);
        return { check, outcome, error };
      }
    }),
  );
  const failures = results
    .filter((r) => r.outcome !== "ok")
    .map((r) => ({
      name: r.check.name,
      outcome: r.outcome,
      error: r.error,
      ...(r.check.hint ? { hint: r.check.hint } : {}),
    }));
  return {
    ready: failures.length === 0,
    checks: Object.fromEntries(results.map((r) => [r.check.name, r.outcome])),
    failures,
  };
}

export class ReadinessTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "ReadinessTimeout";
  }
}

/** Rejects with ReadinessTimeout when `promise` has not settled within `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeout(timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
