/**
 * A migrated, isolated database for one test file, on real PostgreSQL or on PGlite (DESIGN.md §6).
 *
 *   const testDb = await createTestDatabase("pg");          // or "pglite"
 *   const tenantId = await testDb.createTenant("Acme Outfitters");
 *   const store = createRunStore(testDb.db);
 *   …
 *   await testDb.close();                                    // in afterAll: drops the pg database
 *
 * "pg" creates `flowdeck_t_<random>` on the server in FLOWDECK_TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and drops it (WITH FORCE) in close(). "pglite" runs in memory.
 * Both run runtime/migrations, so tests see exactly the production schema, and the flowdeck_app role with RLS.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database } from "../../src/store/database";
import { loadMigrations, runMigrations } from "../../src/store/migrate";
import { createPgDatabase } from "../../src/store/pg-database";
import { createPgliteDatabase } from "../../src/store/pglite-database";
import { createTenant, type TenantPlan } from "../../src/store/tenant-store";
import { seedDemoData } from "../../src/domain/demo-data";

export type TestDatabaseKind = "pg" | "pglite";

export const TEST_DATABASE_KINDS: readonly TestDatabaseKind[] = ["pg", "pglite"];

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  readonly db: Database;
  /** The pg database's name (`flowdeck_t_…`), or `pglite`. */
  readonly name: string;
  /** A new tenant (plan `pro` unless given); with `{ seed: true }` it also gets the demo shop's data. */
  createTenant(
    name?: string,
    options?: { readonly plan?: TenantPlan; readonly seed?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function createTestDatabase(
  kind: TestDatabaseKind,
  options: {
    readonly maxConnections?: number;
    /** Apply only the migrations up to this id (a migration's test fills the schema before it). */
    readonly migrateThrough?: string;
  } = {},
): Promise<TestDatabase> {
  const migrate = async (db: Database) => {
    const all = await loadMigrations();
    const through = options.migrateThrough;
    await runMigrations(db, through === undefined ? all : all.filter((migration) => migration.id <= through));
  };
  if (kind === "pglite") {
    const db = await createPgliteDatabase();
    await migrate(db);
    return wrap(kind, "pglite", db, () => db.close());
  }
  const name = `flowdeck_t_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createPgDatabase({
    connectionString: url.toString(),
    maxConnections: options.maxConnections ?? 5,
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
  return wrap(kind, name, db, async () => {
    await db.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

function wrap(kind: TestDatabaseKind, name: string, db: Database, close: () => Promise<void>): TestDatabase {
  let tenants = 0;
  return {
    kind,
    db,
    name,
    async createTenant(tenantName, options = {}) {
      tenants += 1;
      const tenant = await createTenant(db, {
        name: tenantName ?? `Test tenant ${tenants}`,
        plan: options.plan ?? "pro",
      });
      if (options.seed) await seedDemoData(db, tenant.id);
      return tenant.id;
    },
    close,
  };
}

/** CREATE/DROP DATABASE cannot run in a transaction, so they get a plain one-off client. */
async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
