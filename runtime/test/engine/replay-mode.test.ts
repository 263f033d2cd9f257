import { describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { hasOutsideEffect } from "../../src/engine/replay-effects";
import { replayChannel, replayedRunId, runModeOf } from "../../src/engine/run-mode";

describe("run mode and the steps a replay must not perform", () => {
  const registry = createBuiltinRegistry();
  const id = "0b6f1e1c-3c1f-4b7e-9a55-2f4d1b7c9e10";

  it("a replay is told by its channel, which may name the original run", () => {
    expect(runModeOf(replayChannel(id))).toBe("replay");
    expect(runModeOf(replayChannel())).toBe("replay");
    expect(replayedRunId(replayChannel(id))).toBe(id);
    expect(replayedRunId("replay:not-a-uuid")).toBeUndefined();
    for (const live of ["api", "test", "web:abc", "webhook:abc", "replayed"])
      expect(runModeOf(live)).toBe("live");
  });

  it("writes, unknown types and non-GET requests are effects; pure nodes, reads and models are not", () => {
    for (const type of ["tool.ticket_create", "tool.lead_capture", "tool.order_update", "acme.weather"]) {
      expect(hasOutsideEffect(registry, type, {})).toBe(true);
    }
    for (const type of [
      "start",
      "set",
      "handoff",
      "ask",
      "agent",
      "router",
      "tool.kb_search",
      "tool.order_lookup",
    ]) {
      expect(hasOutsideEffect(registry, type, {})).toBe(false);
    }
    expect(hasOutsideEffect(registry, "tool.http", { method: "GET" })).toBe(false);
    expect(hasOutsideEffect(registry, "tool.http", { method: "POST" })).toBe(true);
    expect(hasOutsideEffect(registry, "tool.http", { method: "DELETE" })).toBe(true);
  });
});
