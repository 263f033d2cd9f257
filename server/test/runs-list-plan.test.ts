// The Runs list's statement over a tenant with a long history and a neighbour as big: the page is found through
// an index, in order, and stops at its limit; each listed run's journal is read by its key (the money), and the
// preview comes from the run rows already on the page (runs.input), never from the journal or another query.
import type { Sql } from "@flowdeck/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { listRuns, type RunFilters, type RunSummary } from "../src/runs/run-queries";
import { runServerMigrations } from "../src/store/server-migrations";

interface PlanNode {
  readonly nodeType: string;
  readonly relation: string | undefined;
  readonly index: string | undefined;
  readonly cond: string;
}

/** Every node of a plan tree, outermost first. */
function planNodes(plan: Record<string, unknown>): PlanNode[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [
    {
      nodeType: String(plan["Node Type"]),
      relation: plan["Relation Name"] as string | undefined,
      index: plan["Index Name"] as string | undefined,
      cond: String(plan["Index Cond"] ?? ""),
    },
    ...children.flatMap(planNodes),
  ];
}

const RUNS_PER_TENANT = 3_000;

describe.each(TEST_DATABASE_KINDS)("the runs list reads one page through an index (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  const plans = new Map<string, PlanNode[]>();
  const pages = new Map<string, RunSummary[]>();

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await runServerMigrations(testDb.db);
    tenantId = await testDb.createTenant("A long history");
    const other = await testDb.createTenant("Neighbour");
    await testDb.db.ownerTransaction(async (sql) => {
      for (const tenant of [tenantId, other]) {
        // Half chat runs with a message, half webhook calls with a payload; a few KB of input each, so reading
        // every run's input would show.
        await sql.query(
          `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, input,
                             conversation_id, channel, created_at, updated_at)
           SELECT $1, gen_random_uuid(), CASE WHEN k % 2 = 0 THEN 'faq' ELSE 'orders' END, 1, 'none', 'completed',
                  '{}',
                  CASE WHEN k % 2 = 0
                       THEN jsonb_build_object('message', 'Question ' || k || repeat(' and more', 300))
                       ELSE jsonb_build_object('order_id', 'A-' || k, 'notes', repeat('n', 3000)) END,
                  'c-' || k, CASE WHEN k % 10 = 0 THEN 'test' ELSE 'api' END,
                  now() - make_interval(mins => k), now() - make_interval(mins => k)
             FROM generate_series(1, $2::int) AS k`,
          [tenant, RUNS_PER_TENANT],
        );
        await sql.query(
          `INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
           SELECT tenant_id, id, 1, 1, jsonb_build_array(jsonb_build_object(
                    'type', 'step.completed',
                    'data', jsonb_build_object('stepId', 'main/answer#1', 'type', 'agent', 'status', 'completed',
                              'usage', jsonb_build_object('promptTokens', 1, 'completionTokens', 1, 'costUsd', 0.001)),
                    'at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
             FROM runs WHERE tenant_id = $1`,
          [tenant],
        );
      }
      await sql.query("ANALYZE runs");
      await sql.query("ANALYZE run_journal");
    });

    const lists: [string, RunFilters][] = [
      ["first page", { limit: 50 }],
      // What the editor's Runs page asks for.
      ["customers' live runs", { limit: 25, mode: "live", testRuns: "exclude" }],
      ["a workflow's runs", { limit: 25, workflow: "faq" }],
    ];
    for (const [name, filters] of lists) {
      await testDb.db.transaction(
        async (sql) => {
          // The statement is explained first, then run as sent.
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
              plans.set(name, planNodes(json[0]!.Plan));
              return sql.query(text, params);
            },
            commitWith: (text, params) => sql.commitWith(text, params),
          };
          pages.set(name, await listRuns(explaining, filters));
        },
        { tenantId },
      );
    }
  }, 180_000);

  afterAll(async () => {
    await testDb?.close();
  });

  it.each(["first page", "customers' live runs", "a workflow's runs"])(
    "%s: runs read through an index on the tenant, in order, stopping at the page's limit",
    (name) => {
      const nodes = plans.get(name) ?? [];
      const onRuns = nodes.filter((node) => node.relation === "runs");
      expect(onRuns).toEqual([
        expect.objectContaining({
          nodeType: "Index Scan",
          index: expect.stringMatching(/^runs_by_(created|workflow)$/),
          cond: expect.stringContaining("tenant_id ="),
        }),
      ]);
      expect(nodes.map((node) => node.nodeType)).toContain("Limit");
    },
  );

  it.each(["first page", "customers' live runs", "a workflow's runs"])(
    "%s: each listed run's journal is read by its key, and the preview needs no other table",
    (name) => {
      const nodes = plans.get(name) ?? [];
      const journal = nodes.filter((node) => node.relation === "run_journal");
      expect(journal.length).toBeGreaterThan(0);
      for (const node of journal) expect(node.cond).toMatch(/run_id = runs\.id/);
      const tables = new Set(nodes.flatMap((node) => (node.relation ? [node.relation] : [])));
      expect([...tables].sort()).toEqual(["channels", "run_journal", "runs"]);
    },
  );

  it("gives every listed run its preview from the page's own rows", () => {
    const page = pages.get("customers' live runs") ?? [];
    expect(page).toHaveLength(25);
    for (const run of page) {
      expect(run.preview).toEqual(expect.any(String));
      expect(Array.from(run.preview!).length).toBeLessThanOrEqual(120);
      expect(run.preview).toMatch(
        run.workflowName === "faq" ? /^Question \d+ and more/ : /^\{"notes": "n+…$/,
      );
    }
  });
});
