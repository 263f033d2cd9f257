import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepared } from "../../src/store/database";
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

  /** The (single) pooled connection is idle again: no app role, no tenant left over. */
  async function expectCleanConnection(): Promise<void> {
    const after = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ role: string; tenant: string }>(whoAmI),
    );
    expect(after.rows[0]!.role).not.toBe("flowdeck_app");
    expect(after.rows[0]!.tenant).toBe("");
  }

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
    await expectCleanConnection();
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

  it("commits with the last statement: what it wrote stays, and nothing may follow it (FD266)", async () => {
    const renamed = await testDb.db.transaction(
      async (sql) => {
        await sql.query("UPDATE tenants SET name = 'Step one' WHERE id = $1", [tenantA]);
        return sql.commitWith<{ name: string }>(
          "UPDATE tenants SET name = name || ' and two' WHERE id = $1 RETURNING name",
          [tenantA],
        );
      },
      { tenantId: tenantA },
    );
    expect(renamed.rows).toEqual([{ name: "Step one and two" }]);
    expect((await getTenant(testDb.db, tenantA))?.name).toBe("Step one and two");

    const late = await testDb.db
      .transaction(
        async (sql) => {
          await sql.commitWith("UPDATE tenants SET name = 'Tenant A' WHERE id = $1", [tenantA]);
          await sql.query("UPDATE tenants SET name = 'Too late' WHERE id = $1", [tenantA]);
        },
        { tenantId: tenantA },
      )
      .catch((reason: unknown) => reason);
    expect(isStoreError(late, "FD266")).toBe(true);
    // The statement after it never ran. (What the commitWith wrote is committed on pg, which sent COMMIT with
    // it, and rolled back on PGlite, whose transaction ends with the callback: a bug either way.)
    expect((await getTenant(testDb.db, tenantA))?.name).toBe(kind === "pg" ? "Tenant A" : "Step one and two");
    await testDb.db.statement("UPDATE tenants SET name = 'Tenant A' WHERE id = $1", [tenantA], {
      tenantId: tenantA,
    });
  });

  it("rolls the whole transaction back when its commitWith statement fails", async () => {
    const error = await testDb.db
      .transaction(
        async (sql) => {
          await sql.query("UPDATE tenants SET name = 'Half done' WHERE id = $1", [tenantA]);
          await sql.commitWith("SELECT * FROM no_such_table");
        },
        { tenantId: tenantA },
      )
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: "42P01" });
    expect((await getTenant(testDb.db, tenantA))?.name).toBe("Tenant A");
    // The single connection is back in the pool, idle and without a tenant.
    await expectCleanConnection();
  });

  it("runs one statement as a tenant transaction of its own, prepared or not, and reports its failure", async () => {
    const mine = prepared("flowdeck_test_who_am_i", whoAmI);
    for (const tenantId of [tenantA, tenantB, tenantA]) {
      const { rows } = await testDb.db.statement<{ role: string; tenant: string }>(mine, [], { tenantId });
      expect(rows).toEqual([{ role: "flowdeck_app", tenant: tenantId }]);
    }
    const seen = await testDb.db.statement<{ id: string }>("SELECT id FROM tenants", [], {
      tenantId: tenantB,
    });
    expect(seen.rows.map((row) => row.id)).toEqual([tenantB]);
    await expect(
      testDb.db.statement("INSERT INTO tenants (id, name) VALUES ($1, 'x')", [tenantA], {
        tenantId: tenantA,
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|42501)$/) as unknown });
    const next = await testDb.db.statement<{ role: string; tenant: string }>(whoAmI, [], {
      tenantId: tenantB,
    });
    expect(next.rows[0]).toEqual({ role: "flowdeck_app", tenant: tenantB });
  });

  it("fails the statement, not the tenant, when the first statement of a transaction goes wrong", async () => {
    await expect(
      testDb.db.transaction((sql) => sql.query("SELECT 1/0"), { tenantId: tenantA }),
    ).rejects.toMatchObject({ code: "22012" });
    const nothing = await testDb.db.transaction(async () => "no statement at all", { tenantId: tenantA });
    expect(nothing).toBe("no statement at all");
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
