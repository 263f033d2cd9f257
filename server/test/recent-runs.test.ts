import { EventEmitter } from "node:events";
import type { RunRecord } from "@flowdeck/runtime";
import { describe, expect, it } from "vitest";
import { createRecentRuns } from "../src/runs/recent-runs";
import { createSettledWaiter, runEventKey } from "../src/runs/run-settling";

const TENANT = "00000000-0000-4000-8000-000000000001";

function record(overrides: Partial<RunRecord>): RunRecord {
  return {
    tenantId: TENANT,
    id: "run-1",
    conversationId: "conv-1",
    status: "queued",
    stateVersion: 0,
    createdAt: "2026-11-26T10:00:00.000Z",
    ...overrides,
  } as RunRecord;
}

describe("recent runs (the inline host's own commits)", () => {
  it("keeps the newest version of a run and never goes back to an older one", () => {
    const recent = createRecentRuns();
    recent.remember(record({ status: "waiting", stateVersion: 3 }));
    recent.remember(record({ status: "running", stateVersion: 2 }));
    expect(recent.get(TENANT, "run-1")).toMatchObject({ status: "waiting", stateVersion: 3 });
    recent.remember(record({ status: "completed", stateVersion: 4 }));
    expect(recent.get(TENANT, "run-1")).toMatchObject({ status: "completed", stateVersion: 4 });
    expect(recent.get("00000000-0000-4000-8000-000000000002", "run-1")).toBeUndefined();
  });

  it("points a conversation at its newest run, whatever order the commits arrive in", () => {
    const recent = createRecentRuns();
    recent.remember(record({ id: "old", createdAt: "2026-11-26T10:00:00.000Z" }));
    recent.remember(record({ id: "new", createdAt: "2026-11-26T10:05:00.000Z" }));
    recent.remember(record({ id: "old", status: "completed", stateVersion: 1 }));
    expect(recent.latestIn(TENANT, "conv-1")).toBe("new");
    expect(recent.latestIn(TENANT, "conv-2")).toBeUndefined();
  });
});

describe("recent runs past the limit", () => {
  it("forgets the least recently touched runs first and keeps the rest", () => {
    const recent = createRecentRuns();
    const remember = (n: number) => recent.remember(record({ id: `r${n}`, conversationId: `c${n}` }));
    for (let n = 0; n < 5_000; n += 1) remember(n);
    remember(0); // touched again: now the newest of the first 5,000
    for (let n = 5_000; n <= 5_600; n += 1) remember(n);
    expect(recent.get(TENANT, "r0")).toBeDefined();
    expect(recent.get(TENANT, "r1")).toBeUndefined();
    expect(recent.latestIn(TENANT, "c1")).toBeUndefined();
    expect(recent.get(TENANT, "r4999")).toBeDefined();
    expect(recent.get(TENANT, "r5600")).toBeDefined();
    const kept = Array.from({ length: 5_601 }, (_, n) => recent.get(TENANT, `r${n}`)).filter(Boolean);
    expect(kept.length).toBeGreaterThanOrEqual(5_000);
    expect(kept.length).toBeLessThanOrEqual(5_500);
  });
});

describe("settled waiter", () => {
  it("answers from a known settled record and from a batch's own record without reading", async () => {
    const events = new EventEmitter();
    const recent = createRecentRuns();
    let reads = 0;
    const getRun = async () => {
      reads += 1;
      return record({ status: "completed", stateVersion: 9 });
    };
    const settled = createSettledWaiter(events, getRun, { recent: recent.get });

    recent.remember(record({ status: "waiting", stateVersion: 2 }));
    await expect(settled(TENANT, "run-1", 5_000)).resolves.toMatchObject({ stateVersion: 2 });

    // Past version 2: the known record does not do, the batch that settles the run does.
    const answer = settled(TENANT, "run-1", 5_000, 2);
    events.emit(runEventKey(TENANT, "run-1"), {
      tenantId: TENANT,
      runId: "run-1",
      conversationId: "conv-1",
      events: [{ type: "run.waiting", data: {}, at: "" }],
      run: record({ status: "waiting", stateVersion: 3 }),
    });
    await expect(answer).resolves.toMatchObject({ stateVersion: 3 });
    expect(reads).toBe(0);

    // A run this process does not know is read.
    await expect(settled(TENANT, "run-2", 5_000)).resolves.toMatchObject({ stateVersion: 9 });
    expect(reads).toBe(1);
  });

  // A thousand chats waiting at once each heard every batch of the tenant (tokens included) when waiters listened
  // under the tenant's key: the chat burst spent its time in their filters.
  it("hears only its own run's batches", async () => {
    const events = new EventEmitter().setMaxListeners(0);
    const settled = createSettledWaiter(events, async () => record({ status: "running", stateVersion: 1 }));
    const waiting = Array.from({ length: 100 }, (_, i) => settled(TENANT, `run-${i}`, 5_000, 1));
    const complete = (i: number) =>
      events.emit(runEventKey(TENANT, `run-${i}`), {
        tenantId: TENANT,
        runId: `run-${i}`,
        conversationId: `conv-${i}`,
        events: [{ type: "run.completed", data: {}, at: "" }],
        run: record({ id: `run-${i}`, status: "completed", stateVersion: 2 }),
      });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.listenerCount(TENANT)).toBe(0);
    expect(events.listenerCount(runEventKey(TENANT, "run-7"))).toBe(1);
    complete(7);
    await expect(waiting[7]).resolves.toMatchObject({ status: "completed" });
    expect(events.listenerCount(runEventKey(TENANT, "run-7"))).toBe(0);
    expect(events.listenerCount(runEventKey(TENANT, "run-8"))).toBe(1);
    for (let i = 0; i < 100; i += 1) if (i !== 7) complete(i);
    await Promise.all(waiting);
  });
});
