import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { events, newRun, step, stepEvents, tinyState } from "./run-fixtures";

// Steps, events and outbox rows carry no foreign key (the store writes them only with their run; see
// 0007_run_children_by_construction.sql), so deleting runs must still take them along, as the cascade did.
describe.each(TEST_DATABASE_KINDS)("deleting runs (%s)", (kind) => {
  let testDb: TestDatabase;
  let store: SqlRunStore;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    store = createRunStore(testDb.db);
  });

  afterAll(async () => {
    await testDb?.close();
  });

  async function storedRun(tenantId: string): Promise<string> {
    const run = await store.createRun(newRun(tenantId));
    await store.commit({
      tenantId,
      runId: run.id,
      expectedVersion: 0,
      status: "running",
      state: tinyState(),
      events: [...stepEvents(step("main/start#1")), ...events(2)],
    });
    // A recorded message, for an outbox row (a start is a mark on the run row, migration 0012).
    await store.requestResume(tenantId, run.id, { kind: "message", text: "hello" }, ["running"]);
    return run.id;
  }

  async function children(runId: string): Promise<Record<string, number>> {
    return testDb.db.ownerTransaction(async (sql) => {
      const count = async (table: string) =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE run_id = $1`, [runId]))
          .rows[0]!.n;
      return {
        journal: await count("run_journal"),
        outbox: await count("run_outbox"),
      };
    });
  }

  it("deletes a run's journal and outbox rows with it, also through a tenant's cascade", async () => {
    const gone = await testDb.createTenant("Leaving");
    const kept = await testDb.createTenant("Staying");
    const [first, second, other] = [await storedRun(gone), await storedRun(gone), await storedRun(kept)];
    expect(await children(first)).toEqual({ journal: 3, outbox: 1 });

    await testDb.db.ownerTransaction((sql) => sql.query("DELETE FROM runs WHERE id = $1", [first]));
    expect(await children(first)).toEqual({ journal: 0, outbox: 0 });
    expect(await children(second)).toEqual({ journal: 3, outbox: 1 });

    await testDb.db.ownerTransaction((sql) => sql.query("DELETE FROM tenants WHERE id = $1", [gone]));
    expect(await children(second)).toEqual({ journal: 0, outbox: 0 });
    expect(await children(other)).toEqual({ journal: 3, outbox: 1 });
  });
});
