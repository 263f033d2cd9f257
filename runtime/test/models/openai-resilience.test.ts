import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCircuitBreakerRegistry } from "../../src/resilience/circuit-breakers";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { TEST_KEY, ask, modelErrorOf, noSignal, testProvider } from "./model-test-helpers";

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

/** A sleep that records the waits and returns at once, so Retry-After values need no real waiting. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const retryWarnings = (entries: ReadonlyArray<{ message: string; fields?: Record<string, unknown> }>) =>
  entries.filter((entry) => entry.message.includes("retrying")).map((entry) => entry.fields);

describe("openai provider: retries", () => {
  it("waits out a 429 with retry-after-ms (a real 50 ms wait), then succeeds", async () => {
    server.script([{ status: 429, retryAfterMs: 50 }, { text: "ok now" }]);
    const { provider, log } = testProvider(server.url);
    const response = await provider.complete(ask("hi"), { signal: noSignal() });
    expect(response.text).toBe("ok now");
    expect(server.requests).toHaveLength(2);
    expect(retryWarnings(log.entries)).toEqual([
      expect.objectContaining({ attempt: 1, delayMs: 50, code: "FD221", status: 429 }),
    ]);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    server.script([
      { status: 429, retryAfterSeconds: 1 },
      { status: 503, retryAfterDate: new Date(Date.now() + 3_000) },
      { text: "done" },
    ]);
    const { waits, sleep } = recordingSleep();
    const { provider } = testProvider(server.url, { sleep });
    const response = await provider.complete(ask("hi"), { signal: noSignal() });
    expect(response.text).toBe("done");
    expect(waits[0]).toBe(1_000);
    // An HTTP date has one-second resolution and the clock moved on: somewhere in (1 s, 3 s].
    expect(waits[1]).toBeGreaterThan(1_000);
    expect(waits[1]).toBeLessThanOrEqual(3_000);
  });

  it("retries 500s and connection resets with capped exponential backoff", async () => {
    server.script([{ status: 500 }, { dropConnection: true }, { status: 502 }, { text: "recovered" }]);
    const { waits, sleep } = recordingSleep();
    const { provider } = testProvider(server.url, {
      sleep,
      baseBackoffMs: 100,
      maxBackoffMs: 300,
      random: () => 1,
    });
    const response = await provider.complete(ask("hi"), { signal: noSignal(), onToken: () => undefined });
    expect(response.text).toBe("recovered");
    expect(server.requests).toHaveLength(4);
    // random() = 1 gives the top of each jitter window: 100, 200, then 400 capped at 300.
    expect(waits).toEqual([100, 200, 300]);
  });

  it("gives up after maxAttempts with FD221 for 429s and FD224 for 5xx", async () => {
    server.onRequest(() => ({ status: 429, retryAfterMs: 1 }));
    const { provider } = testProvider(server.url, { maxAttempts: 3 });
    const limited = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(limited.code).toBe("FD221");
    expect(limited.attempts).toBe(3);
    expect(limited.message).toContain("after 3 attempts");
    expect(server.requests).toHaveLength(3);

    server.reset();
    server.onRequest(() => ({ status: 500 }));
    const failed = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(failed.code).toBe("FD224");
    expect(failed.status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up at once when Retry-After asks for more than maxBackoffMs", async () => {
    server.script([{ status: 429, retryAfterSeconds: 120 }, { text: "never reached" }]);
    const { provider } = testProvider(server.url, { maxBackoffMs: 5_000 });
    const error = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(error.code).toBe("FD221");
    expect(error.message).toContain("asked to wait 120 s");
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry 4xx answers", async () => {
    server.script([{ status: 400, errorMessage: "Invalid schema for response_format" }]);
    const { provider } = testProvider(server.url);
    const error = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(error.code).toBe("FD225");
    expect(error.message).toContain("Invalid schema for response_format");
    expect(server.requests).toHaveLength(1);
  });
});

describe("openai provider: circuit breaker", () => {
  it("opens after consecutive failures, then fails fast without reaching the server", async () => {
    server.onRequest(() => ({ status: 500 }));
    const circuitBreakers = createCircuitBreakerRegistry({ failureThreshold: 3, resetAfterMs: 60_000 });
    const { provider } = testProvider(server.url, { maxAttempts: 1, circuitBreakers });
    for (let call = 0; call < 3; call += 1) {
      expect((await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }))).code).toBe("FD224");
    }
    expect(server.requests).toHaveLength(3);
    const open = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(open.code).toBe("FD220");
    expect(open.hint).toMatch(/circuit breaker is open/);
    expect(server.requests).toHaveLength(3);
    // Per model: another model on the same service still gets through.
    await modelErrorOf(provider.complete(ask("hi", { model: "gpt-4o" }), { signal: noSignal() }));
    expect(server.requests).toHaveLength(4);
  });

  it("stops retrying once the breaker opens mid-call", async () => {
    server.onRequest(() => ({ status: 503 }));
    const circuitBreakers = createCircuitBreakerRegistry({ failureThreshold: 2, resetAfterMs: 60_000 });
    const { provider } = testProvider(server.url, { maxAttempts: 5, circuitBreakers });
    const error = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(error.code).toBe("FD220");
    expect(server.requests).toHaveLength(2);
  });

  it("lets one trial call through after resetAfterMs and closes on success", async () => {
    server.script([{ status: 500 }, { status: 500 }, { text: "back" }]);
    const circuitBreakers = createCircuitBreakerRegistry({ failureThreshold: 2, resetAfterMs: 50 });
    const { provider } = testProvider(server.url, { maxAttempts: 1, circuitBreakers });
    await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(circuitBreakers.state(`openai|${server.url}|gpt-4o-mini`)).toBe("open");
    await new Promise((resolve) => setTimeout(resolve, 120));
    const response = await provider.complete(ask("hi"), { signal: noSignal() });
    expect(response.text).toBe("back");
    expect(circuitBreakers.state(`openai|${server.url}|gpt-4o-mini`)).toBe("closed");
  });

  it("does not count 429s or 4xx toward the breaker (they are one tenant's problem)", async () => {
    server.onRequest(() => ({ status: 429, retryAfterMs: 1 }));
    const circuitBreakers = createCircuitBreakerRegistry({ failureThreshold: 2, resetAfterMs: 60_000 });
    const { provider } = testProvider(server.url, { maxAttempts: 2, circuitBreakers });
    for (let call = 0; call < 3; call += 1) {
      expect((await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }))).code).toBe("FD221");
    }
    expect(circuitBreakers.state(`openai|${server.url}|gpt-4o-mini`)).toBe("closed");
    expect(server.requests).toHaveLength(6);
  });
});

describe("openai provider: time limits, cancellation, broken streams", () => {
  it("turns a slow answer into FD223 after timeoutMs, without retrying", async () => {
    server.script([{ text: "too late", delayMs: 10_000 }]);
    const { provider } = testProvider(server.url, { timeoutMs: 100 });
    const error = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(error.code).toBe("FD223");
    expect(error.message).toContain("100 ms");
    expect(server.requests).toHaveLength(1);
  });

  it("times out a stream that stalls after it started", async () => {
    server.script([{ text: "one two three", chunkDelayMs: 10_000 }]);
    const { provider } = testProvider(server.url, { timeoutMs: 200 });
    const error = await modelErrorOf(
      provider.complete(ask("hi"), { signal: noSignal(), onToken: () => undefined }),
    );
    expect(error.code).toBe("FD223");
  });

  it("honours the caller's AbortSignal during a call and during a backoff", async () => {
    server.script([{ text: "slow", delayMs: 10_000 }]);
    const { provider } = testProvider(server.url);
    const during = new AbortController();
    setTimeout(() => during.abort(new Error("run cancelled")), 50);
    const cancelled = await modelErrorOf(provider.complete(ask("hi"), { signal: during.signal }));
    expect(cancelled.code).toBe("FD227");

    server.reset();
    server.script([{ status: 429, retryAfterSeconds: 10 }]);
    const waiting = new AbortController();
    const { provider: patient } = testProvider(server.url, { maxBackoffMs: 60_000 });
    setTimeout(() => waiting.abort(), 100);
    const duringBackoff = await modelErrorOf(patient.complete(ask("hi"), { signal: waiting.signal }));
    expect(duringBackoff.code).toBe("FD227");
    expect(server.requests).toHaveLength(1);

    const already = AbortSignal.abort();
    expect((await modelErrorOf(provider.complete(ask("hi"), { signal: already }))).code).toBe("FD227");
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a stream that broke after text reached the listener", async () => {
    server.script([{ text: "one two three four five six", dropAfterChunks: 3 }, { text: "never" }]);
    const { provider } = testProvider(server.url);
    const tokens: string[] = [];
    const error = await modelErrorOf(
      provider.complete(ask("hi"), { signal: noSignal(), onToken: (t) => tokens.push(t) }),
    );
    expect(error.code).toBe("FD228");
    expect(tokens).toEqual(["one ", "two "]);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a stream that broke before any text", async () => {
    server.script([{ text: "one two", dropAfterChunks: 1 }, { text: "whole answer" }]);
    const { provider } = testProvider(server.url);
    const tokens: string[] = [];
    const response = await provider.complete(ask("hi"), {
      signal: noSignal(),
      onToken: (t) => tokens.push(t),
    });
    expect(response.text).toBe("whole answer");
    expect(tokens.join("")).toBe("whole answer");
    expect(server.requests).toHaveLength(2);
  });
});

describe("openai provider: a throwing onToken", () => {
  it("gets the listener's own error back, without retries and without counting toward the breaker", async () => {
    server.onRequest(() => ({ text: "one two three" }));
    const circuitBreakers = createCircuitBreakerRegistry({ failureThreshold: 1, resetAfterMs: 60_000 });
    const { provider } = testProvider(server.url, { circuitBreakers });
    const bug = new TypeError("listener bug");
    const onToken = () => {
      throw bug;
    };
    await expect(provider.complete(ask("hi"), { signal: noSignal(), onToken })).rejects.toBe(bug);
    await expect(provider.complete(ask("hi"), { signal: noSignal(), onToken })).rejects.toBe(bug);
    expect(server.requests).toHaveLength(2);
    expect(circuitBreakers.state(`openai|${server.url}|gpt-4o-mini`)).toBe("closed");
  });
});

describe("openai provider: secrets", () => {
  it("never puts the API key in an error, its inspection, or the logs", async () => {
    server.script([{ status: 401 }]);
    const { provider, log } = testProvider(server.url);
    const rejected = await modelErrorOf(provider.complete(ask("hi"), { signal: noSignal() }));
    expect(rejected.code).toBe("FD226");
    // The fake server quotes the key back, as some services do.
    expect(rejected.message).toContain("Incorrect API key provided: [redacted]");

    server.onRequest(() => ({ dropConnection: true }));
    const { provider: unreachable, log: unreachableLog } = testProvider(server.url, { maxAttempts: 2 });
    const down = await modelErrorOf(unreachable.complete(ask("hi"), { signal: noSignal() }));
    expect(down.code).toBe("FD224");

    for (const error of [rejected, down]) {
      const seen = [
        error.message,
        error.stack ?? "",
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
      ].join("\n");
      expect(seen).not.toContain(TEST_KEY);
      expect(seen).not.toContain("0123456789");
    }
    expect(JSON.stringify([log.entries, unreachableLog.entries])).not.toContain(TEST_KEY);
  });
});
