import { describe, expect, it } from "vitest";
import {
  foldStepEvent,
  inputOf,
  mergeStoredSteps,
  factText,
  routingFacts,
  totalsOf,
  traceOf,
  varsAfter,
} from "../../src/builder/test-run/test-run-trace";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe("test-run trace", () => {
  it("folds step events into steps, the canvas trace and totals", () => {
    let steps = foldStepEvent([], "run.started", {}, at(0));
    expect(steps).toEqual([]);
    steps = foldStepEvent(steps, "step.started", { stepId: "s1", node: "route", type: "router" }, at(0));
    expect(traceOf(steps)).toEqual({ route: "running" });
    steps = foldStepEvent(
      steps,
      "step.completed",
      {
        stepId: "s1",
        node: "route",
        type: "router",
        details: { tier: "llm" },
        usage: { promptTokens: 10, completionTokens: 2, costUsd: 0.01 },
      },
      at(1),
    );
    steps = foldStepEvent(
      steps,
      "step.failed",
      { stepId: "s2", node: "agent", error: { code: "FD200", message: "x" } },
      at(2),
    );
    expect(traceOf(steps)).toEqual({ route: "completed", agent: "failed" });
    expect(totalsOf(steps)).toEqual({ tokens: 12, costUsd: 0.01, savedUsd: 0 });
    const merged = mergeStoredSteps(steps, [
      { stepId: "s1", output: { route: "order", confidence: 0.9 }, costUsd: 0.02, savedUsd: 0.5 },
    ]);
    expect(routingFacts(merged[0]!)).toEqual({ route: "order", confidence: 0.9, tier: "llm" });
    const unsure = mergeStoredSteps(steps, [
      { stepId: "s1", output: { route: "fallback", confidence: 0.31, unsure: true } },
    ]);
    expect(Object.entries(routingFacts(unsure[0]!)).map(([name, value]) => [name, factText(value)])).toEqual([
      ["route", "fallback"],
      ["confidence", "0.31"],
      ["unsure", "yes"],
      ["tier", "llm"],
    ]);
    expect(totalsOf(merged)).toEqual({ tokens: 12, costUsd: 0.02, savedUsd: 0.5 });
  });

  it("shows each step's input (the previous output) and the variables after it", () => {
    let steps = foldStepEvent([], "step.started", { stepId: "a", node: "ask_email", type: "ask" }, at(0));
    steps = foldStepEvent(steps, "step.completed", { stepId: "a", vars: { email: "a@b.co" } }, at(1));
    steps = foldStepEvent(steps, "step.started", { stepId: "b", node: "remember", type: "set" }, at(1));
    steps = foldStepEvent(
      steps,
      "step.completed",
      { stepId: "b", vars: { email: "c@d.co", tier: "gold" } },
      at(2),
    );
    steps = foldStepEvent(steps, "step.started", { stepId: "c", node: "done", type: "end" }, at(2));
    steps = foldStepEvent(steps, "step.completed", { stepId: "c" }, at(3));
    steps = mergeStoredSteps(steps, [{ stepId: "a", output: { answer: "a@b.co" } }]);
    expect(varsAfter(steps, 0)).toEqual({ email: "a@b.co" });
    expect(varsAfter(steps, 2)).toEqual({ email: "c@d.co", tier: "gold" });
    expect(inputOf(steps, 0)).toBeUndefined();
    expect(inputOf(steps, 1)).toEqual({ answer: "a@b.co" });
  });
});
