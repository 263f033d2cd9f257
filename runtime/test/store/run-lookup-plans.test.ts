import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreparedSql } from "../../src/store/database";
import {
  BEGIN_ACTIVATION,
  BEGIN_ACTIVATIONS,
  READ_FOR_ACTIVATION,
  RELEASE_ACTIVATIONS,
} from "../../src/store/run-activations";
import { COMMIT_RUN, COMMIT_RUNS } from "../../src/store/run-batch-sql";
import { PENDING_OF_RUN, REQUEST_RESUME } from "../../src/store/run-requests";
import { createRunStore } from "../../src/store/sql-run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { findsById, planScans } from "../support/plan-scans";
import { chatMessageResumeParams, newRun } from "./run-fixtures";

/** Every plan node that reads `runs`: its kind, its index, and whether it finds the run by its id. */
function runsScans(plan: Record<string, unknown>) {
  return planScans(plan)
    .filter((scan) => scan.relation === "runs")
    .map((scan) => ({ nodeType: scan.nodeType, index: scan.index, byId: findsById(scan) }));
}

// A chat message finds its run by primary key and checks its status in the same statement. With statistics
// taken while a tenant had few unfinished runs, PostgreSQL judged `runs_unfinished` (tenant, status) as cheap
// as the key and walked every waiting run of the tenant to find one: 2,000 index entries per message in the
// chat bench, 80–130 ms each under load, until the next ANALYZE. Each statement that names a run by id must
// reach it through the key, whatever the statistics say.
describe.each(TEST_DATABASE_KINDS)("run lookups by id under stale statistics (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let runId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantId = await testDb.createTenant("Acme Outfitters");
    const store = createRunStore(testDb.db);
    for (let i = 0; i < 10; i += 1) runId = (await store.createRun(newRun(tenantId))).id;
    await testDb.db.ownerTransaction(async (sql) => {
      await sql.query("UPDATE runs SET status = 'completed' WHERE tenant_id = $1", [tenantId]);
      // Statistics are taken now, while the tenant has no unfinished run; autovacuum must not refresh them.
      await sql.query("ALTER TABLE runs SET (autovacuum_enabled = false)");
      await sql.query("ANALYZE runs");
      // Then 3,000 conversations wait in an ask, each a copy of the last run under an id of its own.
      const { rows } = await sql.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'runs' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      );
      const copied: Record<string, string> = {
        id: "gen_random_uuid()",
        status: "'waiting'",
        claim_key: "NULL",
      };
      const columns = rows.map((row) => row.name);
      await sql.query(
        `INSERT INTO runs (${columns.join(", ")})
         SELECT ${columns.map((name) => copied[name] ?? name).join(", ")}
           FROM runs, generate_series(1, 3000) WHERE tenant_id = $1 AND id = $2`,
        [tenantId, runId],
      );
      await sql.query("UPDATE runs SET status = 'waiting' WHERE tenant_id = $1 AND id = $2", [
        tenantId,
        runId,
      ]);
    });
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const planOf = async (statement: PreparedSql, params: readonly unknown[]) => {
    const { rows } = await testDb.db.transaction(
      (sql) => sql.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, params),
      { tenantId },
    );
    const explained = rows[0]!["QUERY PLAN"];
    const json = (typeof explained === "string" ? JSON.parse(explained) : explained) as {
      Plan: Record<string, unknown>;
    }[];
    return runsScans(json[0]!.Plan);
  };

  const lookups: [string, () => [PreparedSql, unknown[]]][] = [
    [
      "recording a message (request_resume)",
      () => [REQUEST_RESUME, chatMessageResumeParams(tenantId, runId)],
    ],
    ["reading its pending requests", () => [PENDING_OF_RUN, [tenantId, runId]]],
    ["counting an activation", () => [BEGIN_ACTIVATIONS, [tenantId, [runId]]]],
    ["counting one activation", () => [BEGIN_ACTIVATION, [tenantId, runId]]],
    ["releasing an activation", () => [RELEASE_ACTIVATIONS, [tenantId, [runId]]]],
    ["a worker's read for activation", () => [READ_FOR_ACTIVATION, [tenantId, [runId]]]],
    [
      "committing steps",
      () => [COMMIT_RUNS, [tenantId, JSON.stringify([{ runId, expectedVersion: 0, events: [] }]), [runId]]],
    ],
    [
      "committing one step",
      () => [COMMIT_RUN, [tenantId, JSON.stringify({ runId, expectedVersion: 0, events: [] }), runId]],
    ],
  ];

  const byKey = { nodeType: expect.stringMatching(/Index/), index: "runs_pkey", byId: true };

  it.each(lookups)("%s reaches the run by its primary key", async (_name, statement) => {
    const scans = await planOf(...statement());
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toEqual(byKey);
  });
});
