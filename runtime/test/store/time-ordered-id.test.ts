import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { timeOrderedId } from "../../src/store/time-ordered-id";
import { createHarness, type Harness } from "../support/harness";

/** Version 7 (`7` leads the third group), RFC 4122 variant (8, 9, a or b leads the fourth). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

const FLOW = `name: ids
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { output: { ok: "yes" } } }
edges:
  - { from: start, to: done }
`;

describe("time-ordered ids", () => {
  it("are UUIDv7 carrying the time they were made, each after the one before", () => {
    const before = Date.now();
    const ids = Array.from({ length: 2_000 }, () => timeOrderedId());
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    // Sorted as text is sorted in time, also within one millisecond: index inserts append.
    expect([...ids].sort()).toEqual(ids);
    expect(millisOf(ids[0]!)).toBeGreaterThanOrEqual(before);
    expect(millisOf(ids.at(-1)!)).toBeLessThanOrEqual(after);
  });

  it("move on a millisecond when one millisecond has made 4,096, and stay in order", () => {
    // A few milliseconds ahead: later than any id made before, and past soon after the clock is back.
    const frozen = Date.now() + 5;
    const clock = vi.spyOn(Date, "now").mockReturnValue(frozen);
    try {
      const ids = Array.from({ length: 5_000 }, () => timeOrderedId());
      for (const id of ids) expect(id).toMatch(UUID_V7);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
      expect(millisOf(ids[4_095]!)).toBe(frozen);
      expect(millisOf(ids[4_096]!)).toBe(frozen + 1);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("runs get time-ordered ids (pg)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ kind: "pg", workflows: [FLOW] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("for a run stored first, a run stored with its first commit, and the conversation each starts", async () => {
    const start = { tenantId: h.tenantId, workflow: h.workflow("ids"), input: {} };
    const stored = await h.engine.startRun(start);
    const deferred = await h.engine.startRun({ ...start, deferStore: true });
    for (const run of [stored, deferred]) {
      expect(run.id).toMatch(UUID_V7);
      expect(run.conversationId).toMatch(UUID_V7);
      expect(await h.store.getRun(h.tenantId, run.id)).toMatchObject({ id: run.id, status: "completed" });
    }
    expect(deferred.id > stored.id).toBe(true);
  });
});
