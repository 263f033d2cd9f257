import type { Sql } from "@flowdeck/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { leadConversion, runsPerDay, usagePerDay } from "../src/analytics/analytics-store";
import type { AnalyticsWindow } from "../src/analytics/analytics-window";
import { routerTiers } from "../src/analytics/router-tiers";
import { outcomesByWorkflow, resolution } from "../src/analytics/run-outcomes";
import { runServerMigrations } from "../src/store/server-migrations";

/** A plan node that reads a table: how, through which index, on which condition. */
interface TableRead {
  readonly relation: string;
  readonly nodeType: string;
  readonly index: string | undefined;
  readonly cond: string;
}

/**
 * Every read of a table in a plan tree. A bitmap heap scan is reported with its bitmap index scans' index and
 * conditions, which is what bounds it.
 */
function tableReads(plan: Record<string, unknown>): TableRead[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  const below = children.flatMap(tableReads);
  const relation = plan["Relation Name"] as string | undefined;
  if (!relation) return below.filter((read) => read.relation !== "");
  const type = String(plan["Node Type"]);
  if (type === "Bitmap Heap Scan") {
    const bitmaps = bitmapIndexScans(plan);
    return [
      {
        relation,
        nodeType: type,
        index: bitmaps.map((scan) => scan["Index Name"]).join(" + "),
        cond: bitmaps.map((scan) => String(scan["Index Cond"] ?? "")).join(" + "),
      },
      ...below.filter((read) => read.relation !== ""),
    ];
  }
  return [
    {
      relation,
      nodeType: type,
      index: plan["Index Name"] as string | undefined,
      cond: String(plan["Index Cond"] ?? ""),
    },
    ...below,
  ];
}

function bitmapIndexScans(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return children.flatMap((child) =>
    child["Node Type"] === "Bitmap Index Scan" ? [child] : bitmapIndexScans(child),
  );
}

// A tenant with a year of kept history, asking for the last week. Before, usage and router analytics read every
// run of the tenant to check its updated_at (only unfinished runs had that indexed), and lead conversion every
// lead of the tenant: a year of history cost as much as the week asked for, each time the Insights page loaded.
describe.each(TEST_DATABASE_KINDS)("analytics read only their window (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  const reads = new Map<string, TableRead[]>();

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await runServerMigrations(testDb.db);
    tenantId = await testDb.createTenant("A year of history");
    const other = await testDb.createTenant("Neighbour");
    await testDb.db.ownerTransaction(async (sql) => {
      // 3,000 runs and leads spread over the year before the window, 20 of each inside it; a neighbour as big.
      for (const [tenant, old] of [
        [tenantId, 3_000],
        [other, 3_000],
      ] as const) {
        const age =
          "CASE WHEN k <= 20 THEN make_interval(hours => k) ELSE make_interval(days => 30 + k % 330) END";
        await sql.query(
          `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, input,
                             conversation_id, channel, created_at, updated_at)
           SELECT $1, gen_random_uuid(), 'faq', 1, 'none', 'completed', '{}', '{}', 'c-' || k, 'api',
                  now() - ${age}, now() - ${age}
             FROM generate_series(1, $2::int + 20) AS k`,
          [tenant, old],
        );
        // Each run's journal: one router step, as the engine records it.
        await sql.query(
          `INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
           SELECT tenant_id, id, 1, 1, jsonb_build_array(jsonb_build_object(
                    'type', 'step.completed',
                    'data', jsonb_build_object('stepId', 'main/route#1', 'type', 'router', 'status', 'completed',
                              'details', jsonb_build_object('tier', 'local'),
                              'usage', jsonb_build_object('promptTokens', 1, 'completionTokens', 1, 'costUsd', 0.001)),
                    'at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
             FROM runs WHERE tenant_id = $1`,
          [tenant],
        );
        await sql.query(
          `INSERT INTO leads (tenant_id, email, source, status, created_at)
           SELECT $1, 'lead-' || k || '@example.com', 'chat', 'new',
                  now() - make_interval(days => CASE WHEN k <= 20 THEN 1 ELSE 30 + k % 330 END)
             FROM generate_series(1, $2::int + 20) AS k`,
          [tenant, old],
        );
      }
      await sql.query("ANALYZE runs");
      await sql.query("ANALYZE run_journal");
      await sql.query("ANALYZE leads");
    });

    const window: AnalyticsWindow = { days: 7, testRuns: "exclude" };
    // A third of the year: enough runs that hashing the journal once looks cheaper than a lookup per run.
    const longer: AnalyticsWindow = { days: 120, testRuns: "exclude" };
    const metrics: [string, (sql: Sql) => Promise<unknown>][] = [
      ["runs per day", (sql) => runsPerDay(sql, window)],
      ["resolution", (sql) => resolution(sql, window)],
      ["outcomes by workflow", (sql) => outcomesByWorkflow(sql, window)],
      ["router tiers", (sql) => routerTiers(sql, window)],
      ["usage", (sql) => usagePerDay(sql, window)],
      ["lead conversion", (sql) => leadConversion(sql, window)],
      ["resolution over 120 days", (sql) => resolution(sql, longer)],
      ["outcomes by workflow over 120 days", (sql) => outcomesByWorkflow(sql, longer)],
      ["router tiers over 120 days", (sql) => routerTiers(sql, longer)],
      ["usage over 120 days", (sql) => usagePerDay(sql, longer)],
    ];
    for (const [name, metric] of metrics) {
      await testDb.db.transaction(
        async (sql) => {
          // Each statement the metric sends is explained first, then run as sent.
          const explaining: Sql = {
            async query(text, params) {
              const { rows } = await sql.query<{ "QUERY PLAN": unknown }>(
                `EXPLAIN (FORMAT JSON) ${typeof text === "string" ? text : text.text}`,
                params,
              );
              const explained = rows[0]!["QUERY PLAN"];
              const json = (typeof explained === "string" ? JSON.parse(explained) : explained) as {
                Plan: Record<string, unknown>;
              }[];
              reads.set(name, [...(reads.get(name) ?? []), ...tableReads(json[0]!.Plan)]);
              return sql.query(text, params);
            },
            commitWith: (text, params) => sql.commitWith(text, params),
          };
          await metric(explaining);
        },
        { tenantId },
      );
    }
  }, 120_000);

  afterAll(async () => {
    await testDb?.close();
  });

  // An index scan, or a bitmap heap scan, whose index condition holds the window's start.
  const windowed = (column: string) => ({
    nodeType: expect.not.stringMatching(/Seq Scan/),
    index: expect.any(String),
    cond: expect.stringMatching(new RegExp(`\\b${column} >= '`)),
  });

  it.each([
    ["runs per day", "runs", "created_at"],
    ["resolution", "runs", "created_at"],
    ["outcomes by workflow", "runs", "created_at"],
    ["router tiers", "runs", "updated_at"],
    ["usage", "runs", "updated_at"],
    ["lead conversion", "leads", "created_at"],
  ])("%s reads %s through an index bounded by %s", (name, relation, column) => {
    const scans = (reads.get(name) ?? []).filter((read) => read.relation === relation);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toMatchObject(windowed(column));
  });

  it.each([
    "resolution",
    "outcomes by workflow",
    "router tiers",
    "usage",
    "resolution over 120 days",
    "outcomes by workflow over 120 days",
    "router tiers over 120 days",
    "usage over 120 days",
  ])(
    "%s reads the journal of each run in the window by its key, never the tenant's whole journal",
    (name) => {
      const scans = (reads.get(name) ?? []).filter((read) => read.relation === "run_journal");
      expect(scans.length).toBeGreaterThan(0);
      for (const scan of scans)
        expect(scan).toMatchObject({
          nodeType: expect.not.stringMatching(/Seq Scan/),
          cond: expect.stringMatching(/\(run_id = r\.id\)/),
        });
    },
  );
});
