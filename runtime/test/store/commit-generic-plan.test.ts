import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantScope } from "../../src/store/database";
import { COMMIT_RUN } from "../../src/store/run-batch-sql";
import { createRunStore } from "../../src/store/sql-run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { findsById, planScans, type PlanScan } from "../support/plan-scans";
import { newRun } from "./run-fixtures";

// COMMIT_RUN runs on the one generic plan each pg connection keeps (run-batch-sql.ts). PostgreSQL makes that plan
// once, from the table as it is then; a table of a page or two is cheaper to scan than to look up by key, so a
// plan made early in a database's life would scan `runs` on every commit as the table grows, until the next
// ANALYZE. Its transaction prices sequential scans out (`byKeyOnly`).
describe.each(TEST_DATABASE_KINDS)("the kept plan of a single commit (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let runId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantId = await testDb.createTenant("Acme Outfitters");
    const store = createRunStore(testDb.db);
    for (let i = 0; i < 20; i += 1) runId = (await store.createRun(newRun(tenantId))).id;
    await testDb.db.ownerTransaction((sql) => sql.query("ANALYZE"));
  });

  afterAll(async () => {
    await testDb?.close();
  });

  /** The generic plan of COMMIT_RUN (what a connection keeps after five executions), made in `scope`. */
  async function genericPlan(scope: TenantScope): Promise<PlanScan[]> {
    const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
    const element = JSON.stringify({ runId, expectedVersion: 0, events: [] });
    const name = `generic_probe_${randomUUID().replaceAll("-", "")}`;
    const { rows } = await testDb.db.transaction(async (sql) => {
      await sql.query(`PREPARE ${name} AS ${COMMIT_RUN.text}`);
      try {
        await sql.query("SET LOCAL plan_cache_mode = force_generic_plan");
        return await sql.query<{ "QUERY PLAN": unknown }>(
          `EXPLAIN (FORMAT JSON) EXECUTE ${name}(${[tenantId, element, runId].map(literal).join(", ")})`,
        );
      } finally {
        await sql.query(`DEALLOCATE ${name}`);
      }
    }, scope);
    const explained = rows[0]!["QUERY PLAN"];
    const json = (typeof explained === "string" ? JSON.parse(explained) : explained) as {
      Plan: Record<string, unknown>;
    }[];
    return planScans(json[0]!.Plan);
  }

  it("reaches the run by its key on a table of twenty runs, where a plain transaction's plan scans it", async () => {
    const plain = await genericPlan({ tenantId });
    expect(plain.filter((scan) => scan.relation === "runs").map((scan) => scan.nodeType)).toContain(
      "Seq Scan",
    );

    const kept = await genericPlan({ tenantId, byKeyOnly: true });
    const runs = kept.filter((scan) => scan.relation === "runs");
    // The UPDATE, and the read of a refused commit's version.
    expect(runs).toHaveLength(2);
    for (const scan of runs) {
      expect(scan).toMatchObject({ index: "runs_pkey", nodeType: expect.stringMatching(/Index/) });
      expect(findsById(scan)).toBe(true);
    }
    // The outbox row it stamps, by the run's index too.
    for (const scan of kept.filter((s) => s.relation === "run_outbox"))
      expect(scan.nodeType).toMatch(/Index/);
  });
});
