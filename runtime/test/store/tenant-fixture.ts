import { createDomainServices } from "../../src/domain/domain-services";
import { seedDemoData } from "../../src/domain/demo-data";
import type { Database } from "../../src/store/database";
import { createRunStore } from "../../src/store/sql-run-store";
import { createConversationMemoryStore } from "../../src/store/conversation-memory-store";
import { events, newRun, step, stepEvents } from "./run-fixtures";

/**
 * Writes at least one row into every tenant table for `tenantId`, through the public APIs: the demo shop
 * (customers, orders, articles), a run with a commit and a recorded message (runs, journal, outbox, message claims), a ticket (tickets,
 * counters, idempotency keys), a lead and the run's conversation memory. The isolation tests check that every tenant table got a row, so a
 * table added later without a fixture fails loudly instead of passing on emptiness.
 */
export async function fillTenant(db: Database, tenantId: string): Promise<{ runId: string }> {
  await seedDemoData(db, tenantId);
  const store = createRunStore(db);
  const run = await store.createRun(newRun(tenantId));
  await store.commit({
    tenantId,
    runId: run.id,
    expectedVersion: run.stateVersion,
    status: "running",
    state: run.state,
    events: [...stepEvents(step("main/start#1")), ...events(2)],
  });
  // A recorded message: the outbox row that enqueues it (a start is a mark on the run row, migration 0012), and
  // the claim of the customer's message id.
  const claim = { key: `chat:${run.id}:m-1`, duplicate: () => new Error("claimed before") };
  await store.requestResume(tenantId, run.id, { kind: "message", text: "hello" }, ["running"], claim);
  const services = createDomainServices(db, tenantId);
  await services.createTicket(
    { subject: "Broken zip", description: "The zip of my jacket broke.", priority: "high" },
    `${run.id}:main/ticket#1`,
  );
  await services.captureLead({ email: "buyer@example.com", source: "chat" }, `${run.id}:main/lead#1`);
  await createConversationMemoryStore(db).save(
    tenantId,
    run.conversationId,
    { order_id: "AO-10489" },
    run.id,
  );
  return { runId: run.id };
}
