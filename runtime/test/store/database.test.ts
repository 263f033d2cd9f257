import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../src/store/migrate";
import { createPgliteDatabase } from "../../src/store/pglite-database";
import { isStoreError } from "../../src/store/store-errors";
import { createTenant, getTenant } from "../../src/store/tenant-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";

describe.each(TEST_DATABASE_KINDS)("database (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    // One connection, so every transaction below reuses the connection the previous one left behind.
    testDb = await createTestDatabase(kind, { maxConnections: 1 });
    tenantA = await testDb.createTenant("Tenant A");
    tenantB = await testDb.createTenant("Tenant B");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const whoAmI =
    "SELECT current_user AS role, coalesce(current_setting('app.tenant_id', true), '') AS tenant";

  it("rolls a failed tenant transaction back and leaves the connection clean", async () => {
    const failure = new Error("step crashed");
    const error = await testDb.db
      .transaction(
        async (sql) => {
          await sql.query("UPDATE tenants SET name = 'Renamed' WHERE id = $1", [tenantA]);
          throw failure;
        },
        { tenantId: tenantA },
      )
      .catch((reason: unknown) => reason);
    expect(error).toBe(failure);
    expect((await getTenant(testDb.db, tenantA))?.name).toBe("Tenant A");
    const after = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ role: string; tenant: string }>(whoAmI),
    );
    expect(after.rows[0]!.role).not.toBe("flowdeck_app");
    expect(after.rows[0]!.tenant).toBe("");
  });

  it("recovers from a failed statement inside a transaction", async () => {
    await expect(
      testDb.db.transaction((sql) => sql.query("SELECT * FROM no_such_table"), { tenantId: tenantA }),
    ).rejects.toMatchObject({ code: "42P01" });
    const next = await testDb.db.transaction((sql) => sql.query<{ role: string; tenant: string }>(whoAmI), {
      tenantId: tenantB,
    });
    expect(next.rows[0]).toEqual({ role: "flowdeck_app", tenant: tenantB });
  });

  it("never mixes tenants between interleaved transactions", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const tenantId = index % 2 === 0 ? tenantA : tenantB;
        return testDb.db.transaction(
          async (sql) => {
            const seen = await sql.query<{ id: string }>("SELECT id FROM tenants");
            return { tenantId, seen: seen.rows.map((row) => row.id) };
          },
          { tenantId },
        );
      }),
    );
    for (const result of results) expect(result.seen).toEqual([result.tenantId]);
  });

  it("counts committed transactions and statements", async () => {
    const before = testDb.db.stats;
    await testDb.db.transaction((sql) => sql.query("SELECT 1"), { tenantId: tenantA });
    expect(testDb.db.stats).toEqual({
      transactions: before.transactions + 1,
      // SET LOCAL ROLE, set_config, the query
      statements: before.statements + 3,
    });
  });
});

describe("database lifecycle (pglite)", () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "flowdeck-pglite-"));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("keeps data in its data folder across restarts, and migrates a second time to nothing", async () => {
    const first = await createPgliteDatabase({ dataDir: folder });
    await runMigrations(first);
    const tenant = await createTenant(first, { name: "Acme Outfitters", plan: "enterprise" });
    await first.close();

    const second = await createPgliteDatabase({ dataDir: folder });
    const report = await runMigrations(second);
    expect(report.applied).toEqual([]);
    expect(await getTenant(second, tenant.id)).toEqual(tenant);
    await second.close();
  });

  it("refuses work after close (FD265)", async () => {
    const db = await createPgliteDatabase();
    await db.close();
    await db.close();
    const error = await db
      .ownerTransaction((sql) => sql.query("SELECT 1"))
      .catch((reason: unknown) => reason);
    expect(isStoreError(error, "FD265")).toBe(true);
  });
});
