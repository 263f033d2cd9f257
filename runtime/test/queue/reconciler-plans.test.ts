import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERDUE_ASKS, STUCK_RUNS, UNAPPLIED_REQUESTS } from "../../src/queue/run-reconciler";
import { DELETE_OLD_RUNS } from "../../src/store/run-retention";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";

const FINISHED_RUNS = 20_000;

interface PlanNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly "Index Name"?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * The reconciler's questions name no tenant and ask only about unfinished runs. On a table of mostly finished
 * runs (the normal state of a busy tenant), each must be answered from runs_unfinished (migration 0013), not by
 * reading every run: before, each pass scanned the whole table. Retention's per-tenant delete is checked on the
 * same table: runs_by_created (runtime migration 0014), not a walk of the tenant's whole index.
 */
describe.each(TEST_DATABASE_KINDS)("the reconciler's queries (%s)", (kind) => {
  let t: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    tenantId = await t.createTenant("Acme Outfitters");
    await t.db.ownerTransaction(async (sql) => {
      // Finished runs, one idle running run and one waiting ask past its deadline.
      await sql.query(
        `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state,
                           state_version, event_seq, input, conversation_id, channel, created_at, updated_at)
         SELECT $1, gen_random_uuid(), 'support', 1, 'h', CASE g % 3 WHEN 0 THEN 'completed' WHEN 1 THEN 'failed'
                ELSE 'cancelled' END, '{}'::jsonb, 1, 3, '{}'::jsonb, gen_random_uuid()::text, 'api',
                now() - make_interval(secs => g), now() - make_interval(secs => g)
           FROM generate_series(1, $2::int) g`,
        [tenantId, FINISHED_RUNS],
      );
      await sql.query(
        `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state,
                           state_version, event_seq, input, conversation_id, channel, created_at, updated_at)
         VALUES ($1, '00000000-0000-4000-8000-000000000001', 'support', 1, 'h', 'running', '{}'::jsonb, 1, 1,
                 '{}'::jsonb, 'c1', 'api', now() - interval '1 hour', now() - interval '1 hour'),
                ($1, '00000000-0000-4000-8000-000000000002', 'support', 1, 'h', 'waiting',
                 jsonb_build_object('waitingStep', 'main/ask#1', 'waitingUntil', now() - interval '1 hour'), 1, 1,
                 '{}'::jsonb, 'c2', 'api', now() - interval '2 hours', now() - interval '2 hours')`,
        [tenantId],
      );
      await sql.query("ANALYZE runs");
      await sql.query("ANALYZE run_journal");
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  async function plan(query: string, params: unknown[]): Promise<PlanNode[]> {
    const { rows } = await t.db.ownerTransaction((sql) =>
      sql.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${query}`, params),
    );
    const json = rows[0]!["QUERY PLAN"];
    const parsed = (typeof json === "string" ? JSON.parse(json) : json) as Array<{ Plan: PlanNode }>;
    return nodesOf(parsed[0]!.Plan);
  }

  it.each([
    ["idle queued or running runs", STUCK_RUNS],
    ["requests a waiting run has not taken", UNAPPLIED_REQUESTS],
    ["asks past their deadline", OVERDUE_ASKS],
  ])("finds %s without reading every run", async (_name, query) => {
    const nodes = await plan(query, [60_000, 1_000]);
    const onRuns = nodes.filter((node) => node["Relation Name"] === "runs");
    expect(onRuns.length).toBeGreaterThan(0);
    expect(onRuns.map((node) => node["Node Type"])).not.toContain("Seq Scan");
    expect(onRuns.map((node) => node["Index Name"])).toContain("runs_unfinished");
  });

  // Retention asks one tenant for runs older than its plan keeps: runs_by_created's range, not every run.
  it("finds a tenant's runs past its history without reading every run", async () => {
    const before = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const nodes = await plan(DELETE_OLD_RUNS, [tenantId, before, 1_000, []]);
    const onRuns = nodes.filter((node) => node["Relation Name"] === "runs");
    expect(onRuns.map((node) => node["Node Type"])).not.toContain("Seq Scan");
    expect(onRuns.map((node) => node["Index Name"])).toContain("runs_by_created");
  });

  it("still answers them: the idle running run and the overdue ask", async () => {
    const answers = await t.db.ownerTransaction(async (sql) => ({
      stuck: (await sql.query<{ id: string }>(STUCK_RUNS, [60_000, 1_000])).rows.map((row) => row.id),
      overdue: (await sql.query<{ id: string }>(OVERDUE_ASKS, [5_000, 1_000])).rows.map((row) => row.id),
    }));
    expect(answers).toEqual({
      stuck: ["00000000-0000-4000-8000-000000000001"],
      overdue: ["00000000-0000-4000-8000-000000000002"],
    });
  });
});
