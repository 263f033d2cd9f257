import { describe, expect, it } from "vitest";
import { parseRetryAfterMs } from "../../src/resilience/retry-after";
import {
  RetriesExhaustedError,
  backoffDelayMs,
  retryWithBackoff,
  type RetryDecision,
} from "../../src/resilience/retry-policy";

const headers = (values: Record<string, string>) => new Headers(values);

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms first, then retry-after seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(parseRetryAfterMs(headers({ "retry-after": "2" }), now)).toBe(2_000);
    expect(parseRetryAfterMs(headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(parseRetryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(7_000);
    expect(parseRetryAfterMs(headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), now)).toBe(0);
  });

  it("ignores missing, negative and garbage values", () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ "retry-after": "-3" }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ "retry-after-ms": "abc", "retry-after": "1" }))).toBe(1_000);
  });
});

describe("backoffDelayMs", () => {
  it("doubles per attempt, keeps half and jitters half, and never passes the cap", () => {
    const options = { baseBackoffMs: 100, maxBackoffMs: 1_000 };
    expect(backoffDelayMs(1, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(1, { ...options, random: () => 1 })).toBe(100);
    expect(backoffDelayMs(3, { ...options, random: () => 0.5 })).toBe(300);
    for (let attempt = 1; attempt < 40; attempt += 1) {
      const delay = backoffDelayMs(attempt, { ...options, random: Math.random });
      expect(delay).toBeGreaterThanOrEqual(Math.min(1_000, 100 * 2 ** (attempt - 1)) / 2);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });
});

describe("retryWithBackoff", () => {
  const retryable = (): RetryDecision => ({ retry: true });

  function failing(times: number, afterMs?: number) {
    let calls = 0;
    const fn = async (attempt: number) => {
      calls += 1;
      if (calls <= times) throw Object.assign(new Error(`fail ${attempt}`), { afterMs });
      return `ok on ${attempt}`;
    };
    return { fn, calls: () => calls };
  }

  it("retries until success and waits the server's Retry-After exactly", async () => {
    const waits: number[] = [];
    const { fn } = failing(2, 750);
    const result = await retryWithBackoff(fn, {
      signal: new AbortController().signal,
      decide: (error) => ({ retry: true, afterMs: (error as { afterMs?: number }).afterMs }),
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result).toBe("ok on 3");
    expect(waits).toEqual([750, 750]);
  });

  it("stops at maxAttempts and wraps the last error", async () => {
    const { fn, calls } = failing(10);
    const error = await retryWithBackoff(fn, {
      maxAttempts: 3,
      signal: new AbortController().signal,
      decide: retryable,
      sleep: async () => undefined,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(3);
    expect((error as RetriesExhaustedError).lastError).toMatchObject({ message: "fail 3" });
    expect(calls()).toBe(3);
  });

  it("rethrows a non-retryable error as it is, after one call", async () => {
    const { fn, calls } = failing(10);
    await expect(
      retryWithBackoff(fn, { signal: new AbortController().signal, decide: () => ({ retry: false }) }),
    ).rejects.toThrow("fail 1");
    expect(calls()).toBe(1);
  });

  it("gives up instead of waiting longer than maxBackoffMs", async () => {
    const { fn, calls } = failing(10, 60_000);
    const error = await retryWithBackoff(fn, {
      maxBackoffMs: 1_000,
      signal: new AbortController().signal,
      decide: (caught) => ({ retry: true, afterMs: (caught as { afterMs?: number }).afterMs }),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(calls()).toBe(1);
  });

  it("is cancelled by the signal while it waits", async () => {
    const controller = new AbortController();
    const { fn, calls } = failing(10);
    const pending = retryWithBackoff(fn, {
      baseBackoffMs: 60_000,
      signal: controller.signal,
      decide: retryable,
    });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(pending).rejects.toThrow("stop");
    expect(calls()).toBe(1);
  });
});
