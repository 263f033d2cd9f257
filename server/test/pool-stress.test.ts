/**
 * Tenant isolation under a small pool and failing transactions (issue 4, "must show"): 40 tenants, a pool of
 * 3 connections, hundreds of concurrent tenant transactions that read their own rows while others fail in
 * every way a request can fail — a failing statement, a write into another tenant (RLS WITH CHECK), an
 * application error, a statement after an error (aborted transaction), a statement timeout and, on real
 * PostgreSQL, the connection killed with pg_terminate_backend mid-transaction.
 *
 * Two properties: no transaction ever sees a row of another tenant, and no connection handed back to the pool
 * still carries a tenant (`app.tenant_id` is set with is_local = true). The second is checked by probes that
 * run between the tenant transactions and on every pooled connection at the end; the last test proves those
 * probes would catch a session-level set_config(…, false) leak.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, createPgDatabase, type Database, type Sql } from "@flowdeck/runtime";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";

const TENANTS = 40;
const ROWS_PER_TENANT = 3;
const POOL_SIZE = 3;
const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Kind =
  | "read"
  | "failing-statement"
  | "cross-tenant-write"
  | "app-error"
  | "statement-after-error"
  | "statement-timeout"
  | "killed"
  | "probe";

/** What every failing kind must fail with (SQLSTATE, or the app's own error). */
const EXPECTED_ERROR: Partial<Record<Kind, RegExp>> = {
  "failing-statement": /^22012$/, // division_by_zero
  "cross-tenant-write": /^42501$/, // new row violates row-level security policy
  "app-error": /^app-error$/,
  "statement-after-error": /^25P02$/, // in_failed_sql_transaction
  "statement-timeout": /^57014$/, // query_canceled
  // The terminated backend answers 57P01; the socket may also just be gone.
  killed: /^(57P01|connection-terminated)$/,
};

interface Probe {
  readonly pid: number;
  /** `app.tenant_id` as a fresh transaction finds it, before anything sets it. */
  readonly setting: string | null;
  /** Rows the app role sees without setting a tenant: must be 0. */
  readonly visibleRows: number;
}

interface ReadRow {
  tenant_id: string;
  name: string;
  pid: number;
  setting: string;
}

function errorCode(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string") return code;
  if (typeof message === "string" && /terminat|connection error|Connection ended|closed/i.test(message)) {
    return "connection-terminated";
  }
  return typeof message === "string" ? message : String(error);
}

/** Resolves when `count` callers have arrived: holds that many pooled connections at once. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === count) release();
    return all;
  };
}

/**
 * Looks at a connection as a request would get it from the pool, before its transaction sets a tenant:
 * the owner's transaction (no set_config), then the app role, which RLS filters by `app.tenant_id`.
 */
async function probe(db: Database, hold?: () => Promise<void>): Promise<Probe> {
  return db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ pid: number; setting: string | null }>(
      "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS setting",
    );
    await sql.query(`SET LOCAL ROLE ${APP_ROLE}`);
    const visible = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM customers");
    await hold?.();
    return { pid: rows[0]!.pid, setting: rows[0]!.setting, visibleRows: visible.rows[0]!.n };
  });
}

/** A probe's verdict: null when the connection carried no tenant. */
function leakOf(p: Probe): string | null {
  if ((p.setting ?? "") === "" && p.visibleRows === 0) return null;
  return `connection ${p.pid} carried tenant "${p.setting}" (${p.visibleRows} rows visible)`;
}

describe.each(["pg", "pglite"] as const)("pool stress (%s)", (kind) => {
  // PGlite has one connection: concurrency queues on its mutex, and it cannot kill a backend.
  const poolSize = kind === "pg" ? POOL_SIZE : 1;
  const operations = kind === "pg" ? 600 : 240;
  let testDb: TestDatabase;
  /** A second pool on the same database, as the superuser: kills backends of the pool under test. */
  let admin: Database | undefined;
  const tenants: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, { maxConnections: POOL_SIZE });
    for (let t = 0; t < TENANTS; t += 1) {
      const tenantId = await testDb.createTenant(`Stress tenant ${t}`);
      tenants.push(tenantId);
      await testDb.db.transaction(
        async (sql) => {
          for (let r = 0; r < ROWS_PER_TENANT; r += 1) {
            await sql.query("INSERT INTO customers (tenant_id, email, name) VALUES ($1, $2, $3)", [
              tenantId,
              `c${r}@t${t}.example`,
              tenantId,
            ]);
          }
        },
        { tenantId },
      );
    }
    if (kind === "pg") {
      const url = new URL(ADMIN_URL);
      url.pathname = `/${testDb.name}`;
      admin = createPgDatabase({ connectionString: url.toString(), maxConnections: 2 });
    }
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await testDb?.close();
  });

  /** Reads the tenant's rows inside its transaction and records anything that is not exactly its own. */
  async function readOwn(sql: Sql, tenantId: string, violations: string[]): Promise<number> {
    const { rows } = await sql.query<ReadRow>(
      "SELECT tenant_id::text, name, pg_backend_pid() AS pid, current_setting('app.tenant_id') AS setting FROM customers ORDER BY email",
    );
    for (const row of rows) {
      if (row.tenant_id !== tenantId || row.name !== tenantId) {
        violations.push(`tenant ${tenantId} saw a row of ${row.tenant_id}`);
      }
    }
    if (rows.length !== ROWS_PER_TENANT) violations.push(`tenant ${tenantId} saw ${rows.length} rows`);
    if (rows[0] && rows[0].setting !== tenantId)
      violations.push(`tenant ${tenantId} ran as "${rows[0].setting}"`);
    return rows[0]?.pid ?? -1;
  }

  it("never shows a transaction another tenant's row, and never hands a tenant on to the next transaction", async () => {
    const kinds: Kind[] = [
      "read",
      "failing-statement",
      "read",
      "cross-tenant-write",
      "read",
      "app-error",
      "probe",
      "statement-after-error",
      "read",
      ...(kind === "pg" ? (["statement-timeout", "killed"] as const) : []),
    ];
    const violations: string[] = [];
    const erroredPids = new Set<number>();
    const probes: Probe[] = [];
    const outcomes: Record<string, number> = {};
    const count = (key: string) => void (outcomes[key] = (outcomes[key] ?? 0) + 1);

    async function operation(i: number): Promise<void> {
      const op = kinds[i % kinds.length]!;
      if (op === "probe") {
        probes.push(await probe(testDb.db));
        count("probe ok");
        return;
      }
      const tenantId = tenants[(i * 7) % TENANTS]!;
      const other = tenants[(i * 7 + 1) % TENANTS]!;
      let pid = -1;
      try {
        await testDb.db.transaction(
          async (sql) => {
            pid = await readOwn(sql, tenantId, violations);
            switch (op) {
              case "read":
                return;
              case "failing-statement":
                await sql.query("SELECT 1 / (SELECT count(*) - count(*) FROM customers)");
                return;
              case "cross-tenant-write":
                await sql.query("INSERT INTO customers (tenant_id, email, name) VALUES ($1, $2, $3)", [
                  other,
                  `intruder-${i}@example.com`,
                  tenantId,
                ]);
                return;
              case "app-error":
                throw Object.assign(new Error("the handler failed"), { code: "app-error" });
              case "statement-after-error":
                // A handler that swallows a failed statement and carries on in the aborted transaction.
                await sql.query("SELECT 1 / 0").catch(() => undefined);
                await sql.query("SELECT count(*) FROM customers");
                return;
              case "statement-timeout":
                await sql.query("SET LOCAL statement_timeout = '20ms'");
                await sql.query("SELECT pg_sleep(2)");
                return;
              case "killed":
                await admin!.ownerTransaction((owner) =>
                  owner.query("SELECT pg_terminate_backend($1)", [pid]),
                );
                await sql.query("SELECT count(*) FROM customers");
                return;
            }
          },
          { tenantId },
        );
        count(`${op} ok`);
      } catch (error) {
        erroredPids.add(pid);
        const code = errorCode(error);
        const expected = EXPECTED_ERROR[op];
        count(expected?.test(code) ? `${op} failed as expected` : `${op} failed: ${code}`);
      }
    }

    await Promise.all(Array.from({ length: operations }, (_unused, i) => operation(i)));

    // Every pooled connection at once, after all the failures: none carries a tenant.
    const hold = barrier(poolSize);
    const finalProbes = await Promise.all(Array.from({ length: poolSize }, () => probe(testDb.db, hold)));
    probes.push(...finalProbes);

    expect(violations).toEqual([]);
    expect(probes.map(leakOf).filter((leak) => leak !== null)).toEqual([]);
    // The probes looked at connections that had just served a failed transaction.
    expect(probes.filter((p) => erroredPids.has(p.pid)).length).toBeGreaterThan(0);
    const expectedOutcomes: Record<string, number> = {};
    for (let i = 0; i < operations; i += 1) {
      const op = kinds[i % kinds.length]!;
      const key = op === "read" || op === "probe" ? `${op} ok` : `${op} failed as expected`;
      expectedOutcomes[key] = (expectedOutcomes[key] ?? 0) + 1;
    }
    expect(outcomes).toEqual(expectedOutcomes);

    // No cross-tenant write got through: every tenant still has exactly its own rows.
    const perTenant = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ tenant_id: string; n: number; foreign: number }>(
        "SELECT tenant_id::text, count(*)::int AS n, count(*) FILTER (WHERE name <> tenant_id::text)::int AS foreign FROM customers GROUP BY tenant_id",
      ),
    );
    expect(perTenant.rows).toHaveLength(TENANTS);
    expect(perTenant.rows.every((row) => row.n === ROWS_PER_TENANT && row.foreign === 0)).toBe(true);
    // The pool still works after all of it.
    await expect(
      testDb.db.transaction((sql) => readOwn(sql, tenants[0]!, violations), { tenantId: tenants[0]! }),
    ).resolves.toBeGreaterThan(0);
  }, 120_000);

  it("would catch a session-level set_config(…, false): the probes see the leaked tenant", async () => {
    const leaked = tenants[TENANTS - 1]!;
    // The bug this suite guards against, written on purpose: a tenant set for the session, not the transaction.
    const leakyTransaction = (hold: () => Promise<void>) =>
      testDb.db.ownerTransaction(async (sql) => {
        await sql.query(`SET LOCAL ROLE ${APP_ROLE}`);
        await sql.query("SELECT set_config('app.tenant_id', $1, false)", [leaked]);
        await sql.query("SELECT count(*) FROM customers");
        await hold();
      });
    const leakHold = barrier(poolSize);
    await Promise.all(Array.from({ length: poolSize }, () => leakyTransaction(leakHold)));
    try {
      const probeHold = barrier(poolSize);
      const probes = await Promise.all(Array.from({ length: poolSize }, () => probe(testDb.db, probeHold)));
      const leaks = probes.map(leakOf);
      expect(leaks.every((leak) => leak !== null)).toBe(true);
      expect(probes.every((p) => p.setting === leaked && p.visibleRows === ROWS_PER_TENANT)).toBe(true);
    } finally {
      // Undo the leak on every connection (RESET in a committed transaction is session-level too).
      const resetHold = barrier(poolSize);
      await Promise.all(
        Array.from({ length: poolSize }, () =>
          testDb.db.ownerTransaction(async (sql) => {
            await sql.query("RESET app.tenant_id");
            await resetHold();
          }),
        ),
      );
    }
    const hold = barrier(poolSize);
    const clean = await Promise.all(Array.from({ length: poolSize }, () => probe(testDb.db, hold)));
    expect(clean.map(leakOf)).toEqual(clean.map(() => null));
  });
});
