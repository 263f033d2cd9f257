import { describe, expect, it } from "vitest";
import { CircuitOpenError, createCircuitBreakerRegistry } from "../../src/resilience/circuit-breakers";

const fail = (flags: object = {}) => Promise.reject(Object.assign(new Error("down"), flags));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("circuit breaker registry", () => {
  it("opens after N consecutive failures and then fails fast without calling", async () => {
    const breakers = createCircuitBreakerRegistry({ failureThreshold: 3, resetAfterMs: 60_000 });
    let calls = 0;
    const call = () =>
      breakers.execute("m", () => {
        calls += 1;
        return fail();
      });
    for (let i = 0; i < 3; i += 1) await expect(call()).rejects.toThrow("down");
    expect(breakers.state("m")).toBe("open");
    await expect(call()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);
    // Keys are independent.
    await expect(breakers.execute("other", async () => "fine")).resolves.toBe("fine");
  });

  it("a success resets the count of consecutive failures", async () => {
    const breakers = createCircuitBreakerRegistry({ failureThreshold: 2 });
    await expect(breakers.execute("m", () => fail())).rejects.toThrow();
    await breakers.execute("m", async () => "ok");
    await expect(breakers.execute("m", () => fail())).rejects.toThrow();
    expect(breakers.state("m")).toBe("closed");
  });

  it("ignores errors flagged countsTowardCircuit: false", async () => {
    const breakers = createCircuitBreakerRegistry({ failureThreshold: 1 });
    for (let i = 0; i < 5; i += 1) {
      await expect(breakers.execute("m", () => fail({ countsTowardCircuit: false }))).rejects.toThrow("down");
    }
    expect(breakers.state("m")).toBe("closed");
  });

  it("half-opens after resetAfterMs: a failed trial reopens, a good one closes", async () => {
    const breakers = createCircuitBreakerRegistry({ failureThreshold: 1, resetAfterMs: 30 });
    await expect(breakers.execute("m", () => fail())).rejects.toThrow();
    expect(breakers.state("m")).toBe("open");
    await pause(60);
    await expect(breakers.execute("m", () => fail())).rejects.toThrow("down");
    expect(breakers.state("m")).toBe("open");
    await pause(60);
    await expect(breakers.execute("m", async () => "back")).resolves.toBe("back");
    expect(breakers.state("m")).toBe("closed");
  });
});
