import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import { isStoreError } from "../../src/store/store-errors";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { events, newRun, step, stepEvents, tinyState } from "./run-fixtures";

// Group commit: what a tenant's concurrent creates, commits and reads share, and that each is answered alone.
describe.each(TEST_DATABASE_KINDS)("run store batches (%s)", (kind) => {
  let testDb: TestDatabase;
  let store: SqlRunStore;
  let tenantId: string;
  let otherTenant: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    store = createRunStore(testDb.db);
    tenantId = await testDb.createTenant("Acme Outfitters");
    otherTenant = await testDb.createTenant("Globex");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it("group-commits concurrent creates and commits of a tenant; each item is refused or failed alone", async () => {
    const key = `webhook:${crypto.randomUUID()}:m-2`;
    const claim = { key, duplicate: () => new Error("claimed already") };
    const taken = await store.createRun(newRun(tenantId));
    const transactionsBefore = testDb.db.stats.transactions;
    // Started in one tick: the first goes out alone, the other 9 share the next transaction.
    const batch = await Promise.all(Array.from({ length: 10 }, () => store.createRun(newRun(tenantId))));
    expect(testDb.db.stats.transactions - transactionsBefore).toBe(2);
    expect(new Set(batch.map((run) => run.id)).size).toBe(10);

    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 6 }, () => store.createRun(newRun(tenantId))),
      store.createRun(newRun(tenantId, { claim })),
      store.createRun(newRun(tenantId, { claim })),
      // A run id already in use fails the batch's statement; its items are then written one by one.
      store.createRun(newRun(tenantId, { id: taken.id })),
      store.createRun(newRun(tenantId, { claim: { ...claim, key: `${key}-b` } })),
    ]);
    const created = [...batch, ...outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []))];
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    expect(created).toHaveLength(18);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.message).toBe("claimed already");
    expect(refused[1]).toMatchObject({ code: "23505" });
    for (const run of created) expect((await store.getRun(tenantId, run.id))?.status).toBe("queued");

    const commitsBefore = testDb.db.stats.transactions;
    const results = await Promise.allSettled(
      created.map((run, index) =>
        store.commit({
          tenantId,
          runId: run.id,
          // One writer is stale: only its commit is refused.
          expectedVersion: index === 5 ? 7 : 0,
          status: "completed",
          state: tinyState(),
          events: [...stepEvents(step(`main/done#${index}`)), ...events(2)],
          output: { index },
        }),
      ),
    );
    expect(testDb.db.stats.transactions - commitsBefore).toBe(2);
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [[i, r.reason]] : []));
    expect(failed).toHaveLength(1);
    expect(failed[0]![0]).toBe(5);
    expect(isStoreError(failed[0]![1]) && failed[0]![1].code).toBe("FD260");
    for (const [index, run] of created.entries()) {
      const stored = await store.getRun(tenantId, run.id);
      expect(stored?.status).toBe(index === 5 ? "queued" : "completed");
      expect(stored?.output).toEqual(index === 5 ? null : { index });
      const log = await store.listEvents(tenantId, run.id);
      expect(log.map((e) => e.seq)).toEqual(index === 5 ? [1] : [1, 2, 3, 4]);
      expect(await store.listSteps(tenantId, run.id)).toHaveLength(index === 5 ? 0 : 1);
    }
  });

  it("batches concurrent reads of a tenant's runs; each read gets its own run, or nothing", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => store.createRun(newRun(tenantId))));
    const foreign = await store.createRun(newRun(otherTenant));
    const transactionsBefore = testDb.db.stats.transactions;
    const reads = await Promise.all([
      store.getRun(tenantId, runs[0]!.id),
      store.getRun(tenantId, runs[1]!.id.toUpperCase()),
      store.getRun(tenantId, runs[2]!.id),
      store.getRun(tenantId, crypto.randomUUID()),
      store.getRun(tenantId, foreign.id),
      store.getRun(tenantId, runs[0]!.id),
    ]);
    // The first read goes out alone; the five that arrive meanwhile share one statement.
    expect(testDb.db.stats.transactions - transactionsBefore).toBe(2);
    expect(reads.map((run) => run?.id)).toEqual([
      runs[0]!.id,
      runs[1]!.id,
      runs[2]!.id,
      undefined,
      undefined,
      runs[0]!.id,
    ]);
    expect(reads[2]).toEqual(runs[2]);
  });
});
