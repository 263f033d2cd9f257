import { describe, expect, it } from "vitest";
import { activationRecord } from "../../src/engine/activation-record";
import type { RunRecord, RunState } from "../../src/engine/run-types";

const state = (): RunState =>
  ({
    frames: [
      { workflow: "w", path: "main", node: "done", input: {}, vars: { big: 7n }, outputs: {}, visits: {} },
    ],
    conversation: { id: "c1", channel: "api", history: [] },
    usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
  }) as unknown as RunState;

const run = {
  id: "r1",
  tenantId: "t1",
  status: "running",
  stateVersion: 1,
  activationsUnfinished: 1,
} as unknown as RunRecord;
const committed = {
  status: "completed" as const,
  output: { n: 1n },
  error: null,
  updatedAt: "x",
  stateVersion: 2,
};

describe("an activation's record", () => {
  it("gives the state as a read would, a copy, whether made at once or when first read", () => {
    for (const ended of [false, true]) {
      const live = state();
      const record = activationRecord(run, committed, live, ended);
      expect(record.state).not.toBe(live);
      expect(record.state.frames[0]!.vars).toEqual({ big: 7 });
      expect(record.state).toBe(record.state);
      expect(record.output).toEqual({ n: 1 });
      expect(record.stateVersion).toBe(2);
      // The commit that ended the activation set its count back to 0; one in the middle left it.
      expect(record.activationsUnfinished).toBe(ended ? undefined : 1);
      // A spread and JSON carry the state too (queue payloads, subscribers' copies).
      expect({ ...record }.state).toEqual(record.state);
      expect(JSON.parse(JSON.stringify(record)).state.frames[0].vars.big).toBe(7);
    }
  });

  it("copies a running activation's state at once, since its later steps change it", () => {
    const live = state();
    const record = activationRecord(run, committed, live, false);
    (live.frames[0]!.vars as Record<string, unknown>).later = true;
    expect(record.state.frames[0]!.vars).toEqual({ big: 7 });
  });
});
