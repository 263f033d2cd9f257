import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@flowdeck/runtime";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { loadMigrations } from "@flowdeck/runtime";
import { runServerMigrations, SERVER_MIGRATIONS_DIR } from "../src/store/server-migrations";

async function owner<Row extends object>(db: Database, text: string, params: unknown[] = []): Promise<Row[]> {
  return db.ownerTransaction(async (sql) => (await sql.query<Row>(text, params)).rows);
}

const POLICY =
  "(tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\"))";

describe.each(TEST_DATABASE_KINDS)("server schema catalog on %s", (kind) => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await runServerMigrations(testDb.db);
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it("applies the server migrations after runtime's, once", async () => {
    const files = await loadMigrations(SERVER_MIGRATIONS_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(Number(file.id.slice(0, 4))).toBeGreaterThanOrEqual(1000);
    const again = await runServerMigrations(testDb.db);
    expect(again.applied).toEqual([]);
  });

  it("forces RLS with the tenant policy on every table with tenant_id, tenant_id leading the key", async () => {
    const tables = await owner<{ table: string; rls: boolean; forced: boolean; pk_first: string | null }>(
      testDb.db,
      `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
                 AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND i.indisprimary) AS pk_first
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')`,
    );
    const names = tables.map((t) => t.table);
    for (const expected of ["memberships", "refresh_tokens", "api_keys", "invitations"]) {
      expect(names).toContain(expected);
    }
    for (const table of tables) {
      expect(table).toMatchObject({ rls: true, forced: true, pk_first: "tenant_id" });
      const policies = await owner<{ qual: string; with_check: string }>(
        testDb.db,
        "SELECT qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = $1",
        [table.table],
      );
      expect(policies.length).toBeGreaterThan(0);
      expect(policies).toEqual(policies.map(() => ({ qual: POLICY, with_check: POLICY })));
    }
  });

  it("gives the app role nothing on users and only the narrow SECURITY DEFINER doors", async () => {
    const [privileges] = await owner<Record<string, boolean>>(
      testDb.db,
      `SELECT has_table_privilege('flowdeck_app', 'users', 'SELECT') AS s,
              has_table_privilege('flowdeck_app', 'users', 'INSERT') AS i,
              has_table_privilege('flowdeck_app', 'users', 'UPDATE') AS u,
              has_table_privilege('flowdeck_app', 'users', 'DELETE') AS d`,
    );
    expect(privileges).toEqual({ s: false, i: false, u: false, d: false });
    const functions = await owner<{ name: string; definer: boolean; config: string[] | null }>(
      testDb.db,
      `SELECT p.proname AS name, p.prosecdef AS definer, p.proconfig AS config
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef`,
    );
    expect(functions.map((f) => f.name).sort()).toEqual([
      "flowdeck_create_user",
      "flowdeck_login_credentials",
      "flowdeck_member_profile",
      // The Team page's member list: emails of the transaction's own tenant only (migration 1020).
      "flowdeck_tenant_members",
      "flowdeck_user_tenants",
      "flowdeck_webhook_channel_tenant",
    ]);
    expect(functions.map((fn) => fn.config)).toEqual(
      functions.map(() => ["search_path=pg_catalog, pg_temp"]),
    );
  });

  it("keeps the app role unprivileged and owning nothing", async () => {
    const [role] = await owner<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>(
      testDb.db,
      `SELECT r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = 'flowdeck_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it("shows a tenant transaction only its own memberships, even when it asks for another tenant's", async () => {
    const a = await testDb.createTenant("A");
    const b = await testDb.createTenant("B");
    const userId = await testDb.db.transaction(
      async (sql) => {
        const { rows } = await sql.query<{ id: string }>("SELECT flowdeck_create_user($1, 'x') AS id", [
          `catalog-${kind}@example.com`,
        ]);
        await sql.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')", [
          a,
          rows[0]!.id,
        ]);
        return rows[0]!.id;
      },
      { tenantId: a },
    );
    const seenFromB = await testDb.db.transaction(
      async (sql) => (await sql.query("SELECT * FROM memberships WHERE user_id = $1", [userId])).rowCount,
      { tenantId: b },
    );
    expect(seenFromB).toBe(0);
    await expect(
      testDb.db.transaction(
        (sql) =>
          sql.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
            a,
            userId,
          ]),
        { tenantId: b },
      ),
    ).rejects.toThrow(/row-level security/);
    const profileFromB = await testDb.db.transaction(
      async (sql) => (await sql.query("SELECT * FROM flowdeck_member_profile($1)", [userId])).rowCount,
      { tenantId: b },
    );
    expect(profileFromB).toBe(0);
    await expect(
      testDb.db.transaction((sql) => sql.query("SELECT * FROM users"), { tenantId: a }),
    ).rejects.toThrow(/permission denied/);
  });
});
