import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import type { RunCommit } from "../../src/store/run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { events, newRun, step, stepEvents, tinyState } from "./run-fixtures";

// The count of unfinished activations behind poison-run protection (FD219): counted before an activation
// executes, back to 0 with the commit that ends one, taken back when an activation stops without dying.
describe.each(TEST_DATABASE_KINDS)("run store activation counting (%s)", (kind) => {
  let testDb: TestDatabase;
  let store: SqlRunStore;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    store = createRunStore(testDb.db);
    tenantId = await testDb.createTenant("Acme Outfitters");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const commit = (runId: string, expectedVersion: number, overrides: Partial<RunCommit> = {}): RunCommit => ({
    tenantId,
    runId,
    expectedVersion,
    status: "running",
    state: tinyState(),
    events: [...stepEvents(step(`main/s${expectedVersion}#1`)), ...events(1)],
    ...overrides,
  });
  const unfinished = async (runId: string) =>
    (await store.getRun(tenantId, runId))?.activationsUnfinished ?? 0;

  it("counts activations until one commits its end; commits in the middle leave the count alone", async () => {
    const run = await store.createRun(newRun(tenantId));
    expect(run.activationsUnfinished).toBeUndefined();
    expect(await store.beginActivation(tenantId, run.id)).toBe(0);
    // A commit in the middle of the activation (after an effectful step), then the process dies.
    expect(await store.commit(commit(run.id, 0))).toBe(1);
    expect(await unfinished(run.id)).toBe(1);
    expect(await store.beginActivation(tenantId, run.id)).toBe(1);
    expect(await store.beginActivation(tenantId, run.id)).toBe(2);
    expect(await unfinished(run.id)).toBe(3);
    // Counting changed neither the version commits check nor when the run was last touched.
    const before = await store.getRun(tenantId, run.id);
    expect(before?.stateVersion).toBe(1);
    expect(await store.commit(commit(run.id, 1, { status: "completed", activationEnded: true }))).toBe(2);
    const after = await store.getRun(tenantId, run.id);
    expect(after?.status).toBe("completed");
    expect(after?.activationsUnfinished).toBeUndefined();
  });

  it("a waiting run activated by many messages never accumulates: each activation ends", async () => {
    const run = await store.createRun(newRun(tenantId));
    let version = 0;
    for (let message = 0; message < 5; message += 1) {
      expect(await store.beginActivation(tenantId, run.id)).toBe(0);
      version = await store.commit(commit(run.id, version, { status: "waiting", activationEnded: true }));
    }
    expect(await unfinished(run.id)).toBe(0);
  });

  it("counts two activations of one run that begin together in one batch as two", async () => {
    const run = await store.createRun(newRun(tenantId));
    const earlier = await Promise.all([
      store.beginActivation(tenantId, run.id),
      store.beginActivation(tenantId, run.id),
      store.beginActivation(tenantId, run.id),
    ]);
    expect(earlier.sort()).toEqual([0, 1, 2]);
    expect(await unfinished(run.id)).toBe(3);
  });

  it("takes back an activation that stopped without dying, never below 0", async () => {
    const run = await store.createRun(newRun(tenantId));
    await store.beginActivation(tenantId, run.id);
    await store.beginActivation(tenantId, run.id);
    await store.releaseActivation(tenantId, run.id);
    expect(await unfinished(run.id)).toBe(1);
    await store.releaseActivation(tenantId, run.id);
    await store.releaseActivation(tenantId, run.id);
    expect(await unfinished(run.id)).toBe(0);
  });

  it("refuses to count an activation of a run that does not exist (FD261)", async () => {
    await expect(store.beginActivation(tenantId, crypto.randomUUID())).rejects.toMatchObject({
      code: "FD261",
    });
    await expect(store.beginActivation(tenantId, "not-a-uuid")).rejects.toMatchObject({ code: "FD261" });
  });

  it("a worker's read claims a queued or running run with no unfinished activation, once", async () => {
    const queued = await store.createRun(newRun(tenantId));
    const [first, second] = await Promise.all([
      store.readForActivation(tenantId, queued.id),
      store.readForActivation(tenantId, queued.id),
    ]);
    // Both readers get the run; only one holds the one claim the statement made.
    expect([first?.claimed, second?.claimed].sort()).toEqual([false, true]);
    expect(first?.run.activationsUnfinished).toBeUndefined();
    expect(await unfinished(queued.id)).toBe(1);

    // A run whose process died is read as is: the engine counts it once it may execute it alone.
    const again = await store.readForActivation(tenantId, queued.id);
    expect(again).toMatchObject({ claimed: false, run: { activationsUnfinished: 1 } });
    expect(await unfinished(queued.id)).toBe(1);

    // A waiting run is not claimed by the read: whether it executes depends on a recorded message.
    const waiting = await store.createRun(newRun(tenantId));
    await store.commit(commit(waiting.id, 0, { status: "waiting", activationEnded: true }));
    expect(await store.readForActivation(tenantId, waiting.id)).toMatchObject({ claimed: false });
    expect(await unfinished(waiting.id)).toBe(0);

    expect(await store.readForActivation(tenantId, crypto.randomUUID())).toBeUndefined();
  });

  it("a request its recorder applies counts that activation, only from 0, and reads as before it", async () => {
    const run = await store.createRun(newRun(tenantId));
    await store.commit(commit(run.id, 0, { status: "waiting", activationEnded: true }));
    const message = { kind: "message" as const, text: "hi" };
    const plain = await store.requestResume(tenantId, run.id, message, ["waiting"]);
    expect(plain?.activationCounted).toBe(false);
    expect(await unfinished(run.id)).toBe(0);
    const counted = await store.requestResume(tenantId, run.id, message, ["waiting"], undefined, true);
    expect(counted?.activationCounted).toBe(true);
    expect(counted?.run.activationsUnfinished).toBeUndefined();
    expect(await unfinished(run.id)).toBe(1);
    // Counted already (this one's applier, or a process that died): the next request leaves it to its applier.
    const again = await store.requestResume(tenantId, run.id, message, ["waiting"], undefined, true);
    expect(again?.activationCounted).toBe(false);
    expect(again?.run.activationsUnfinished).toBe(1);
    expect(await unfinished(run.id)).toBe(1);
    // A request the run's status refuses counts nothing.
    const other = await store.createRun(newRun(tenantId));
    expect(
      await store.requestResume(tenantId, other.id, message, ["waiting"], undefined, true),
    ).toBeUndefined();
    expect(await unfinished(other.id)).toBe(0);
  });

  it("stores a deferred run with its still-running activation counted, and not one that ended", async () => {
    const started = (id: string) => ({
      ...newRun(tenantId),
      id,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    const running = started(crypto.randomUUID());
    await store.insertRun(running, commit(running.id, 0));
    expect(await unfinished(running.id)).toBe(1);
    const ended = started(crypto.randomUUID());
    await store.insertRun(ended, commit(ended.id, 0, { status: "completed", activationEnded: true }));
    expect(await unfinished(ended.id)).toBe(0);
  });
});
