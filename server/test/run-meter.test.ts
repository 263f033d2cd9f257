import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { runCounterName } from "../src/plans/plan-usage";
import { createRunMeter } from "../src/plans/run-meter";
import { runServerMigrations } from "../src/store/server-migrations";

describe("the run meter", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase("pg");
    await runServerMigrations(testDb.db);
  });
  afterAll(() => testDb?.close());

  const stored = (tenantId: string) =>
    testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ value: string }>(
        "SELECT value FROM tenant_counters WHERE tenant_id = $1 AND name = $2",
        [tenantId, runCounterName()],
      );
      return Number(rows[0]?.value ?? 0);
    });

  it("admits exactly the allowance left under concurrent starts, and stores every admitted start", async () => {
    const tenantId = await testDb.createTenant("Metered", { plan: "free" });
    const allowance = PLAN_LIMITS.free.runsPerMonth!;
    await testDb.db.ownerTransaction((sql) =>
      sql.query("INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, $2, $3)", [
        tenantId,
        runCounterName(),
        allowance - 10,
      ]),
    );
    const meter = createRunMeter(testDb.db, { refreshMs: 60_000, flushIntervalMs: 60_000 });
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => meter.admit(tenantId)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(10);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: "FD350", status: 402 });
    // Counted in memory until the flush, then stored in one statement.
    expect(await stored(tenantId)).toBe(allowance - 10);
    await meter.close();
    expect(await stored(tenantId)).toBe(allowance);
  });

  // A burst of new chats found the view stale together and queued a read each, one after another: the
  // chat bench's first messages waited up to 7 s behind them.
  it("reads the stored count once for a burst of starts that finds it stale", async () => {
    const tenantId = await testDb.createTenant("Bursty", { plan: "pro" });
    const meter = createRunMeter(testDb.db, { refreshMs: 60_000, flushIntervalMs: 60_000 });
    const before = testDb.db.stats.transactions;
    await Promise.all(Array.from({ length: 200 }, () => meter.admit(tenantId)));
    expect(testDb.db.stats.transactions - before).toBe(1);
    await meter.close();
    expect(await stored(tenantId)).toBe(200);
  });

  it("sees starts another process stored once its view is older than refreshMs", async () => {
    const tenantId = await testDb.createTenant("Shared", { plan: "free" });
    const meter = createRunMeter(testDb.db, { refreshMs: 0, flushIntervalMs: 60_000 });
    await meter.admit(tenantId);
    await testDb.db.ownerTransaction((sql) =>
      sql.query("INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, $2, $3)", [
        tenantId,
        runCounterName(),
        PLAN_LIMITS.free.runsPerMonth! - 1,
      ]),
    );
    // Stored (allowance - 1) plus this process's one pending start: the allowance is used up.
    await expect(meter.admit(tenantId)).rejects.toMatchObject({ code: "FD350" });
    await meter.close();
  });
});
