import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMigrations, runMigrations } from "../../src/store/migrate";
import { isStoreError } from "../../src/store/store-errors";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { expectSqlState, INSUFFICIENT_PRIVILEGE } from "./sql-errors";
import { fillTenant } from "./tenant-fixture";

/** Tables that hold no tenant's rows. `tenants` is keyed and policed by `id` instead of `tenant_id`. */
const GLOBAL_TABLES = ["schema_migrations", "tenants"];

describe.each(TEST_DATABASE_KINDS)("schema and tenancy (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantA: string;
  let tenantB: string;
  let tenantTables: string[];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantA = await testDb.createTenant("Tenant A");
    tenantB = await testDb.createTenant("Tenant B");
    await fillTenant(testDb.db, tenantA);
    await fillTenant(testDb.db, tenantB);
    tenantTables = await testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
      );
      return rows.map((row) => row.table_name);
    });
  });

  afterAll(async () => {
    await testDb?.close();
  });

  /** Columns an INSERT may name (generated and identity columns excluded). */
  async function insertableColumns(table: string): Promise<string[]> {
    return testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' AND is_identity = 'NO'
          ORDER BY ordinal_position`,
        [table],
      );
      return rows.map((row) => row.column_name);
    });
  }

  it("applies the migrations once; running them again applies nothing", async () => {
    const migrations = await loadMigrations();
    const again = await runMigrations(testDb.db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(migrations.map((migration) => migration.id));
    const recorded = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id"),
    );
    expect(recorded.rows.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
  });

  it("refuses a migration whose text changed after it was applied (FD263)", async () => {
    const [first, ...rest] = await loadMigrations();
    const edited = [{ id: first!.id, sql: `${first!.sql}\n-- edited` }, ...rest];
    const error = await runMigrations(testDb.db, edited).catch((reason: unknown) => reason);
    expect(isStoreError(error, "FD263")).toBe(true);
  });

  it("accepts a changed migration that names the applied text's checksum as replaced, and no other", async () => {
    const migrations = await loadMigrations();
    const first = migrations[0]!;
    const applied = createHash("sha256").update(first.sql).digest("hex");
    const replacing = `${first.sql}\n-- replaces checksum ${applied}`;
    const accepted = await runMigrations(testDb.db, [{ id: first.id, sql: replacing }]);
    expect(accepted.alreadyApplied).toEqual([first.id]);
    const other = `${first.sql}\n-- replaces checksum ${"0".repeat(64)}`;
    const error = await runMigrations(testDb.db, [{ id: first.id, sql: other }]).catch(
      (reason: unknown) => reason,
    );
    expect(isStoreError(error, "FD263")).toBe(true);
  });

  it("creates the cluster-wide app role idempotently", async () => {
    const [roleMigration] = await loadMigrations();
    await testDb.db.ownerTransaction((sql) => sql.exec(roleMigration!.sql));
    await testDb.db.ownerTransaction((sql) => sql.exec(roleMigration!.sql));
    const roles = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'flowdeck_app'"),
    );
    expect(roles.rows[0]!.n).toBe(1);
  });

  it("forces RLS with a USING and WITH CHECK tenant policy on every tenant table", async () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining([
        "runs",
        "run_journal",
        "run_definitions",
        "run_outbox",
        "orders",
        "kb_articles",
      ]),
    );
    const catalog = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[])`,
        [[...tenantTables, "tenants"]],
      ),
    );
    expect(catalog.rows).toHaveLength(tenantTables.length + 1);
    for (const row of catalog.rows) {
      expect({ table: row.relname, enabled: row.relrowsecurity, forced: row.relforcerowsecurity }).toEqual({
        table: row.relname,
        enabled: true,
        forced: true,
      });
    }
    const policies = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ tablename: string; qual: string; with_check: string; cmd: string }>(
        "SELECT tablename, qual, with_check, cmd FROM pg_policies WHERE schemaname = 'public'",
      ),
    );
    for (const table of [...tenantTables, "tenants"]) {
      const policy = policies.rows.find((row) => row.tablename === table);
      expect(policy, `policy on ${table}`).toBeDefined();
      expect(policy!.cmd).toBe("ALL");
      expect(policy!.qual).toContain("app.tenant_id");
      expect(policy!.with_check).toContain("app.tenant_id");
    }
  });

  it("has no table outside the tenant model except the global ones", async () => {
    const tables = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
    );
    const untenanted = tables.rows.map((row) => row.tablename).filter((name) => !tenantTables.includes(name));
    expect(untenanted.sort()).toEqual(GLOBAL_TABLES);
  });

  it("keeps the app role powerless: not superuser, no BYPASSRLS, no login, owns nothing", async () => {
    const role = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean; owned: number }>(
        `SELECT r.rolsuper, r.rolbypassrls, r.rolcanlogin,
                (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid)
              + (SELECT count(*)::int FROM pg_namespace WHERE nspowner = r.oid)
              + (SELECT count(*)::int FROM pg_proc WHERE proowner = r.oid)
              + (SELECT count(*)::int FROM pg_type WHERE typowner = r.oid) AS owned
           FROM pg_roles r WHERE r.rolname = 'flowdeck_app'`,
      ),
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 }]);
  });

  it.each([
    ["run_journal", "tenant_id = tenant_id", /append-only/],
    // The app may mark a snapshot used (migration 0015), and change nothing else of it.
    ["run_definitions", "definition = '{}'::jsonb", /immutable except used_at/],
  ] as const)(
    "keeps %s from the app role's updates and deletes, and from the owner's updates through a trigger",
    async (table, ownerChange, refusal) => {
      const privileges = await testDb.db.ownerTransaction((sql) =>
        sql.query<{ can_select: boolean; can_insert: boolean; can_update: boolean; can_delete: boolean }>(
          `SELECT has_table_privilege('flowdeck_app', $1, 'SELECT') AS can_select,
                  has_table_privilege('flowdeck_app', $1, 'INSERT') AS can_insert,
                  has_table_privilege('flowdeck_app', $1, 'UPDATE') AS can_update,
                  has_table_privilege('flowdeck_app', $1, 'DELETE') AS can_delete`,
          [table],
        ),
      );
      expect(privileges.rows[0]).toEqual({
        can_select: true,
        can_insert: true,
        can_update: false,
        can_delete: false,
      });
      const asTenant = (statement: string) =>
        testDb.db.transaction((sql) => sql.query(statement), { tenantId: tenantA });
      const denied = /permission denied/;
      await expectSqlState(
        asTenant(`UPDATE ${table} SET tenant_id = tenant_id`),
        INSUFFICIENT_PRIVILEGE,
        denied,
      );
      await expectSqlState(asTenant(`DELETE FROM ${table}`), INSUFFICIENT_PRIVILEGE, denied);
      await expectSqlState(asTenant(`TRUNCATE ${table}`), INSUFFICIENT_PRIVILEGE, denied);
      await expectSqlState(
        testDb.db.ownerTransaction((sql) => sql.query(`UPDATE ${table} SET ${ownerChange}`)),
        INSUFFICIENT_PRIVILEGE,
        refusal,
      );
    },
  );

  it("lets the app role mark its own tenant's definition snapshots used, and nothing more", async () => {
    const columns = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.column_privileges
          WHERE grantee = 'flowdeck_app' AND table_name = 'run_definitions' AND privilege_type = 'UPDATE'`,
      ),
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(["used_at"]);
    await testDb.db.transaction((sql) => sql.query("UPDATE run_definitions SET used_at = now()"), {
      tenantId: tenantA,
    });
  });

  it("runs tenant transactions as flowdeck_app and leaves neither role nor tenant on the connection", async () => {
    for (let round = 0; round < 3; round += 1) {
      const inside = await testDb.db.transaction(
        (sql) =>
          sql.query<{ role: string; tenant: string }>(
            "SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant",
          ),
        { tenantId: tenantA },
      );
      expect(inside.rows[0]).toEqual({ role: "flowdeck_app", tenant: tenantA });
      const after = await testDb.db.ownerTransaction((sql) =>
        sql.query<{ role: string; tenant: string | null }>(
          "SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant",
        ),
      );
      expect(after.rows[0]!.role).not.toBe("flowdeck_app");
      expect(after.rows[0]!.tenant ?? "").toBe("");
    }
  });

  it("gives every tenant table rows for both tenants (the fixture covers the schema)", async () => {
    for (const table of tenantTables) {
      const counts = await testDb.db.ownerTransaction((sql) =>
        sql.query<{ a: number; b: number }>(
          `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS a, count(*) FILTER (WHERE tenant_id = $2)::int AS b
             FROM ${table}`,
          [tenantA, tenantB],
        ),
      );
      expect(counts.rows[0]!.a, `${table} rows for A`).toBeGreaterThan(0);
      expect(counts.rows[0]!.b, `${table} rows for B`).toBeGreaterThan(0);
    }
  });

  it("shows tenant A none of tenant B's rows, in any table", async () => {
    await testDb.db.transaction(
      async (sql) => {
        for (const table of tenantTables) {
          const { rows } = await sql.query<{ own: number; other: number }>(
            `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS own, count(*) FILTER (WHERE tenant_id <> $1)::int AS other
             FROM ${table}`,
            [tenantA],
          );
          expect({ table, ...rows[0] }).toEqual({ table, own: expect.any(Number), other: 0 });
          expect(rows[0]!.own).toBeGreaterThan(0);
        }
        const tenants = await sql.query<{ id: string }>("SELECT id FROM tenants");
        expect(tenants.rows).toEqual([{ id: tenantA }]);
      },
      { tenantId: tenantA },
    );
  });

  it("shows nothing at all when app.tenant_id is blank", async () => {
    await testDb.db.transaction(
      async (sql) => {
        await sql.query("SELECT set_config('app.tenant_id', '', true)");
        for (const table of [...tenantTables, "tenants"]) {
          const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
        }
      },
      { tenantId: tenantA },
    );
  });

  it("refuses rows for tenant B inserted by tenant A, in every table (WITH CHECK)", async () => {
    for (const table of tenantTables) {
      const columns = await insertableColumns(table);
      const values = columns.map((column) => (column === "tenant_id" ? "$1::uuid" : column)).join(", ");
      await expectSqlState(
        testDb.db.transaction(
          (sql) =>
            sql.query(
              `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${values} FROM ${table} WHERE tenant_id = $2 LIMIT 1`,
              [tenantB, tenantA],
            ),
          { tenantId: tenantA },
        ),
        INSUFFICIENT_PRIVILEGE,
        /row-level security/,
      );
    }
    await expectSqlState(
      testDb.db.transaction(
        (sql) => sql.query("INSERT INTO tenants (id, name) VALUES ($1, 'Intruder')", [crypto.randomUUID()]),
        { tenantId: tenantA },
      ),
      INSUFFICIENT_PRIVILEGE,
      /row-level security/,
    );
  });

  it("lets tenant A neither change nor delete tenant B's rows, nor move its own rows to B", async () => {
    const privileges = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ table_name: string; can_update: boolean; can_delete: boolean }>(
        `SELECT t AS table_name, has_table_privilege('flowdeck_app', t, 'UPDATE') AS can_update,
                has_table_privilege('flowdeck_app', t, 'DELETE') AS can_delete
           FROM unnest($1::text[]) AS t`,
        [tenantTables],
      ),
    );
    const updatable = privileges.rows.filter((row) => row.can_update).map((row) => row.table_name);
    const deletable = privileges.rows.filter((row) => row.can_delete).map((row) => row.table_name);
    expect(updatable).toEqual(expect.arrayContaining(["runs", "orders", "idempotency_keys"]));
    expect(deletable).toEqual(expect.arrayContaining(["orders", "kb_articles"]));
    const scope = { tenantId: tenantA };
    for (const table of updatable) {
      const touched = await testDb.db.transaction(
        (sql) => sql.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [tenantB]),
        scope,
      );
      expect({ table, updated: touched.rowCount }).toEqual({ table, updated: 0 });
      await expectSqlState(
        testDb.db.transaction(
          (sql) => sql.query(`UPDATE ${table} SET tenant_id = $1 WHERE tenant_id = $2`, [tenantB, tenantA]),
          scope,
        ),
        INSUFFICIENT_PRIVILEGE,
        /row-level security/,
      );
    }
    for (const table of deletable) {
      const deleted = await testDb.db.transaction(
        (sql) => sql.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantB]),
        scope,
      );
      expect({ table, deleted: deleted.rowCount }).toEqual({ table, deleted: 0 });
    }
    const renamed = await testDb.db.transaction(
      (sql) => sql.query("UPDATE tenants SET name = 'Taken over' WHERE id = $1", [tenantB]),
      scope,
    );
    expect(renamed.rowCount).toBe(0);
  });

  it("refuses a tenant id that is not a UUID before touching the database (FD262)", async () => {
    const before = testDb.db.stats.statements;
    const error = await testDb.db
      .transaction((sql) => sql.query("SELECT 1"), { tenantId: "acme' OR true --" })
      .catch((reason: unknown) => reason);
    expect(isStoreError(error, "FD262")).toBe(true);
    expect(testDb.db.stats.statements).toBe(before);
  });
});
