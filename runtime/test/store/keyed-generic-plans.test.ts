import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreparedSql } from "../../src/store/database";
import { BEGIN_ACTIVATION } from "../../src/store/run-activations";
import { COMMIT_RUN } from "../../src/store/run-batch-sql";
import { PENDING_AFTER, PENDING_OF_RUN, REQUEST_RESUME } from "../../src/store/run-requests";
import { createRunStore, READ_JOURNAL } from "../../src/store/sql-run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { findsBy, findsById, isGeneric, keptPlanScans } from "../support/plan-scans";
import { chatMessageResumeParams, newRun } from "./run-fixtures";

// The store sends a run's keyed statements in `byKeyOnly` transactions (database.ts), where each runs on the one
// generic plan its connection keeps instead of being planned afresh at every execution. PostgreSQL makes that
// plan once, from the table as it is then; a table of a page or two is cheaper to scan than to look up by key, so
// a plan made early in a database's life would scan on every execution as the table grows, until the next
// ANALYZE. Such a transaction also prices sequential scans out.
describe.each(TEST_DATABASE_KINDS)("the kept plans of a run's keyed statements (%s)", (kind) => {
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

  const commitOne = () => JSON.stringify({ runId, expectedVersion: 0, events: [] });

  it("a plain transaction's generic commit plan scans a table of twenty runs", async () => {
    const plain = await keptPlanScans(
      testDb.db,
      { tenantId },
      COMMIT_RUN,
      [tenantId, commitOne(), runId],
      true,
    );
    expect(plain.filter((scan) => scan.relation === "runs").map((scan) => scan.nodeType)).toContain(
      "Seq Scan",
    );
  });

  /** The columns each table may be reached by (one is enough). */
  const keysOf: Record<string, readonly string[]> = {
    runs: ["id"],
    run_journal: ["run_id"],
    // Its primary key (tenant, id) or its index by run: either bounds the read to the run's own rows.
    run_outbox: ["id", "run_id"],
    message_claims: ["claim_key"],
  };

  const statements: [string, () => [PreparedSql, (string | number | boolean | null | string[])[]], number][] =
    [
      ["a commit (COMMIT_RUN)", () => [COMMIT_RUN, [tenantId, commitOne(), runId]], 2],
      [
        "recording a message (REQUEST_RESUME)",
        () => [REQUEST_RESUME, chatMessageResumeParams(tenantId, runId)],
        2,
      ],
      ["its pending requests (PENDING_OF_RUN)", () => [PENDING_OF_RUN, [tenantId, runId]], 1],
      ["pending requests after a seq (PENDING_AFTER)", () => [PENDING_AFTER, [tenantId, runId, 3]], 0],
      ["reading a journal (READ_JOURNAL)", () => [READ_JOURNAL, [tenantId, runId, 0]], 0],
      ["counting one activation (BEGIN_ACTIVATION)", () => [BEGIN_ACTIVATION, [tenantId, runId]], 1],
    ];

  it.each(statements)(
    "%s keeps a generic plan that reaches every table by its key",
    async (_name, statement, runsScans) => {
      const scans = await keptPlanScans(testDb.db, { tenantId, byKeyOnly: true }, ...statement());
      expect(scans.length).toBeGreaterThan(0);
      expect(scans.filter((scan) => scan.relation === "runs")).toHaveLength(runsScans);
      for (const scan of scans) {
        // By an index, on the table's key, and made for any value: the kept plan, not one for these parameters.
        expect({
          relation: scan.relation,
          nodeType: scan.nodeType,
          keyed: (keysOf[scan.relation] ?? []).some((key) => findsBy(scan, key)),
          generic: isGeneric(scan),
          indexCond: scan.indexCond,
        }).toEqual({
          relation: scan.relation,
          nodeType: expect.stringMatching(/Index/),
          keyed: true,
          generic: true,
          indexCond: scan.indexCond,
        });
      }
      for (const scan of scans.filter((s) => s.relation === "runs")) {
        expect(scan.index).toBe("runs_pkey");
        expect(findsById(scan)).toBe(true);
      }
    },
  );
});
