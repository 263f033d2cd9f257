import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { findsBy, isGeneric, keptPlanScans } from "../../runtime/test/support/plan-scans";
import { VERSION_TO_RUN } from "../src/runs/workflow-source";
import { runServerMigrations } from "../src/store/server-migrations";

// A run's start looks up the version it runs on a plan its connection keeps (workflow-source.ts): that plan is
// made once, so it must reach both tables by their keys whatever the tables held when it was made.
const KEY_OF: Record<string, string> = { workflows: "id", workflow_versions: "workflow_id" };

describe.each(TEST_DATABASE_KINDS)("the version a start runs, on a kept plan (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await runServerMigrations(testDb.db);
    tenantId = await testDb.createTenant("Acme Outfitters");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it.each([
    ["the latest", null],
    ["a pinned one", 3],
  ])("finds %s by the workflow's and the version's keys", async (_name, version) => {
    const scans = await keptPlanScans(testDb.db, { tenantId, byKeyOnly: true }, VERSION_TO_RUN, [
      tenantId,
      randomUUID(),
      version,
    ]);
    const byTable = Object.fromEntries(
      scans.map((scan) => [
        scan.relation,
        {
          nodeType: scan.nodeType,
          generic: isGeneric(scan),
          keyed: findsBy(scan, KEY_OF[scan.relation] ?? "?"),
        },
      ]),
    );
    const keyed = { nodeType: expect.stringMatching(/Index/), generic: true, keyed: true };
    expect(byTable).toEqual({ workflows: keyed, workflow_versions: keyed });
  });
});
