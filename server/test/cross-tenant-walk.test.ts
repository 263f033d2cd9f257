import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@flowdeck/runtime";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { getRouteTable, type RouteDefinition } from "../src/kit/route-table";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

/** The route's path with `:id` and its other parameters (from `exampleParams`) filled in. */
function fillPath(route: RouteDefinition, id: string): string {
  return route.path.replace(/:([A-Za-z_]+)/g, (_match, name: string) =>
    name === "id" ? id : (route.exampleParams?.[name] ?? name),
  );
}

async function tenantTables(db: Database): Promise<string[]> {
  return db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
        ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  });
}

/** A fingerprint of every tenant table's full contents (all tenants), to prove a request wrote nothing. */
async function snapshot(db: Database, tables: readonly string[]): Promise<Record<string, string>> {
  return db.ownerTransaction(async (sql) => {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await sql.query<{ digest: string }>(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`,
      );
      out[table] = rows[0]!.digest;
    }
    return out;
  });
}

/**
 * Waits until the runs the create routes started have stopped, the outbox is drained and the run meter has
 * flushed: background work of tenant A must not count as a write made by tenant B's requests.
 */
async function runsAtRest(db: Database): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const busy = await db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM runs WHERE status IN ('queued', 'running'))
              + (SELECT count(*) FROM run_outbox WHERE dispatched_at IS NULL) AS n`,
      );
      return Number(rows[0]!.n);
    });
    if (busy === 0) {
      // The run meter adds counted starts to tenant_counters on its own timer (every 50 ms in test servers).
      await new Promise((resolve) => setTimeout(resolve, 250));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("runs did not come to rest within 10 s");
}

describe.each(TEST_DATABASE_KINDS)("another tenant's ids on %s", (kind) => {
  let server: TestServer;
  let tenantA: JsonBody;
  let tenantB: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    tenantA = (await registerAccount(server, { tenantName: "A" })).body;
    tenantB = (await registerAccount(server, { tenantName: "B" })).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers 404 and writes nothing on every route that names a row by id", async () => {
    const table = getRouteTable(server.app);
    // `:id` names a tenant's row; a route with only other parameters (a template's name) names none.
    const byId = table.filter((route) => route.auth === "user" && route.path.includes("/:id"));
    expect(byId.length).toBeGreaterThan(0);
    // Tenant A gets a row behind every such route, through the API's own create routes where they exist.
    const creators = table.filter(
      (route) => route.auth === "user" && route.method === "post" && !route.path.includes("/:"),
    );
    for (const route of creators) {
      await server.request("POST", route.path, { token: tenantA.accessToken, body: route.example ?? {} });
    }
    await runsAtRest(server.testDb.db);
    const targets: Array<{ route: RouteDefinition; id: string | undefined }> = [];
    for (const route of byId) {
      const id = route.resource
        ? await server.testDb.db.ownerTransaction(async (sql) => {
            const { rows } = await sql.query<{ id: string }>(
              // A membership is named by its user id (memberships has no id column of its own).
              `SELECT ${route.resource === "memberships" ? "user_id" : "id"}::text AS id FROM ${route.resource}
                WHERE tenant_id = $1 LIMIT 1`,
              [tenantA.tenant.id],
            );
            return rows[0]?.id;
          })
        : undefined;
      targets.push({ route, id });
    }
    // Every :id route declares its table and the walk found a row of tenant A in it.
    expect(targets.filter((t) => !t.id).map((t) => `${t.route.method} ${t.route.path}`)).toEqual([]);

    const tables = await tenantTables(server.testDb.db);
    const before = await snapshot(server.testDb.db, tables);
    const answers: Record<string, string> = {};
    for (const { route, id } of targets) {
      const res = await server.request(route.method.toUpperCase(), fillPath(route, id!), {
        token: tenantB.accessToken,
        headers: { "if-match": "*" },
        body: route.example ?? {},
      });
      answers[`${route.method} ${route.path}`] = String(res.status);
    }
    expect(answers).toEqual(
      Object.fromEntries(targets.map((t) => [`${t.route.method} ${t.route.path}`, "404"])),
    );
    expect(await snapshot(server.testDb.db, tables)).toEqual(before);

    // The same requests with A's own token do reach the rows: the 404s above were isolation, not typos.
    const refusedToOwner: string[] = [];
    // Deletes last, so the rows the other routes need are still there.
    const deletesLast = [...targets].sort(
      (a, b) => Number(a.route.method === "delete") - Number(b.route.method === "delete"),
    );
    for (const { route, id } of deletesLast) {
      const res = await server.request(route.method.toUpperCase(), fillPath(route, id!), {
        token: tenantA.accessToken,
        headers: { "if-match": "*" },
        body: route.example ?? {},
      });
      // 409: the route found the row and refused what it is now (an inbox reply to a run no longer with a human).
      if (res.status >= 300 && res.status !== 409)
        refusedToOwner.push(`${route.method} ${route.path}: ${res.status} ${res.text}`);
    }
    expect(refusedToOwner).toEqual([]);
  });
});
