import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDomainServices } from "../../src/domain/domain-services";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";

// A lead keeps the run that captured it and that run's channel (migration 0018), so lead analytics can leave out
// the leads staff made while test-running a flow in the editor (channel `test`), as they leave out test runs.
describe.each(TEST_DATABASE_KINDS)("the run a lead came from (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantId = await testDb.createTenant("Acme Outfitters");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const origin = (channel: string) => ({ runId: randomUUID(), channel });
  const key = (runId: string) => `${runId}:main/capture#1`;

  async function stored(leadId: string) {
    const { rows } = await testDb.db.transaction(
      (sql) => sql.query("SELECT run_id, channel, notes FROM leads WHERE id = $1", [leadId]),
      { tenantId },
    );
    return rows[0];
  }

  it("stores the capturing run and its channel", async () => {
    const test = origin("test");
    const captured = await createDomainServices(testDb.db, tenantId, test).captureLead(
      { email: "me@our-shop.example", source: "chat" },
      key(test.runId),
    );
    expect(await stored(captured.leadId)).toEqual({ run_id: test.runId, channel: "test", notes: null });
  });

  it("keeps the first run when another run captures the same email (first touch, like source)", async () => {
    const web = origin("web:3f1c");
    const first = await createDomainServices(testDb.db, tenantId, web).captureLead(
      { email: "ana@example.com", source: "chat" },
      key(web.runId),
    );
    const test = origin("test");
    const again = await createDomainServices(testDb.db, tenantId, test).captureLead(
      { email: "ana@example.com", source: "chat", notes: "tried it myself" },
      key(test.runId),
    );
    expect(again).toEqual({ leadId: first.leadId, created: false });
    expect(await stored(first.leadId)).toEqual({
      run_id: web.runId,
      channel: "web:3f1c",
      notes: "tried it myself",
    });
  });

  it("has no run when the services were opened without one (scripts, seeding)", async () => {
    const captured = await createDomainServices(testDb.db, tenantId).captureLead(
      { email: "script@example.com", source: "import" },
      key(randomUUID()),
    );
    expect(await stored(captured.leadId)).toEqual({ run_id: null, channel: null, notes: null });
  });
});
