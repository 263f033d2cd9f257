import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import type { RunCommit, StartedRun } from "../../src/store/run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { events, newRun, step, stepEvents, tinyState } from "./run-fixtures";

// insertRun: a run that executed before it was stored arrives with its first commit, in one statement.
describe.each(TEST_DATABASE_KINDS)("run store insertRun (%s)", (kind) => {
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

  const started = (overrides: Partial<StartedRun> = {}): StartedRun => ({
    ...newRun(tenantId),
    id: crypto.randomUUID(),
    createdAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  });
  const firstCommit = (run: StartedRun, overrides: Partial<RunCommit> = {}): RunCommit => ({
    tenantId,
    runId: run.id,
    expectedVersion: 0,
    status: "completed",
    state: tinyState(),
    events: [...stepEvents(step("main/start#1"), step("main/done#1")), ...events(3)],
    output: { route: "order" },
    ...overrides,
  });

  async function outboxRows(runId: string): Promise<number> {
    const { rows } = await testDb.db.transaction(
      (sql) =>
        sql.query<{ n: number }>("SELECT count(*)::int AS n FROM run_outbox WHERE run_id = $1", [runId]),
      { tenantId },
    );
    return rows[0]!.n;
  }

  it("stores the run as its first commit leaves it: version 1, run.created then the commit's events, no outbox", async () => {
    const run = started();
    const before = testDb.db.stats.transactions;
    await expect(store.insertRun(run, firstCommit(run))).resolves.toBe(1);
    expect(testDb.db.stats.transactions - before).toBe(1);

    const stored = await store.getRun(tenantId, run.id);
    expect(stored).toMatchObject({
      status: "completed",
      stateVersion: 1,
      output: { route: "order" },
      error: null,
      createdAt: run.createdAt,
      workflowVersion: 3,
    });
    const log = await store.listEvents(tenantId, run.id);
    expect(log.map((e) => [e.seq, e.type])).toEqual([
      [1, "run.created"],
      [2, "step.completed"],
      [3, "step.completed"],
      [4, "step.completed"],
      [5, "step.completed"],
      [6, "step.completed"],
    ]);
    expect(log[0]!.at).toBe(run.createdAt);
    expect((await store.listSteps(tenantId, run.id)).map((s) => s.stepId)).toEqual([
      "main/start#1",
      "main/done#1",
    ]);
    expect(await outboxRows(run.id)).toBe(0);

    // Later commits continue from it like from any stored run.
    const next = await store.commit({
      ...firstCommit(run, { status: "running", events: events(2), output: undefined }),
      expectedVersion: 1,
    });
    expect(next).toBe(2);
    expect((await store.listEvents(tenantId, run.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("batches a tenant's concurrent inserts; a taken claim key stores nothing of its run, the rest land", async () => {
    const key = `webhook:${crypto.randomUUID()}:m-1`;
    const claim = { key, duplicate: () => new Error("claimed already") };
    const first = started({ claim });
    await store.insertRun(first, firstCommit(first));

    const before = testDb.db.stats.transactions;
    const runs = [
      ...Array.from({ length: 5 }, () => started()),
      started({ claim }),
      started({ claim: { ...claim, key: `${key}-b` } }),
    ];
    const outcomes = await Promise.allSettled(runs.map((run) => store.insertRun(run, firstCommit(run))));
    // The first goes out alone, the other six share the next transaction.
    expect(testDb.db.stats.transactions - before).toBe(2);
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((outcomes[5] as PromiseRejectedResult).reason).toEqual(new Error("claimed already"));
    const refused = runs[5]!;
    expect(await store.getRun(tenantId, refused.id)).toBeUndefined();
    expect(await store.listEvents(tenantId, refused.id)).toEqual([]);
    expect(await store.listSteps(tenantId, refused.id)).toEqual([]);
    for (const run of [first, ...runs.filter((r) => r !== refused)]) {
      expect((await store.getRun(tenantId, run.id))?.status).toBe("completed");
      expect(await store.listEvents(tenantId, run.id)).toHaveLength(6);
    }
  });

  it("accepts an upper-case id and answers it as PostgreSQL prints it (insertRun and createRun)", async () => {
    const upper = crypto.randomUUID().toUpperCase();
    await expect(store.createRun(newRun(tenantId, { id: upper }))).resolves.toMatchObject({
      id: upper.toLowerCase(),
      status: "queued",
    });
    const run = started({ id: crypto.randomUUID().toUpperCase() });
    await expect(store.insertRun(run, firstCommit(run, { status: "running" }))).resolves.toBe(1);
    expect((await store.getRun(tenantId, run.id))?.id).toBe(run.id.toLowerCase());
  });
});
