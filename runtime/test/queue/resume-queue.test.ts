import { Redis } from "ioredis";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowLibrary } from "../../src/engine/workflow-library";
import { EngineError } from "../../src/engine/engine-errors";
import type { RunRecord } from "../../src/engine/run-types";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createInlineQueue } from "../../src/queue/inline-queue";
import { createOutboxDispatcher } from "../../src/queue/outbox-dispatcher";
import { createRunReconciler } from "../../src/queue/run-reconciler";
import { startWorker, type RunWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  countRows,
  dropPrefix,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";

/** An ask that wants an email (validation, retry prompt), a ticket after it, and an error edge for the timeout. */
const ASK_FLOW = `name: queue_ask
nodes:
  - { name: start, type: start }
  - { name: ask_email, type: ask, config: { prompt: "Your email?", variable: email, validation: "answer.contains('@')", retry_prompt: "An email, please", timeout_minutes: 30 } }
  - { name: ticket, type: tool.ticket_create, config: { subject: "Call {{ vars.email }}", description: "queue resume test" } }
  - { name: thanks, type: reply, config: { text: "Thanks {{ vars.email }}" } }
  - { name: done, type: end, config: { outcome: resolved } }
  - { name: gave_up, type: end, config: { outcome: unresolved } }
edges:
  - { from: start, to: ask_email }
  - { from: ask_email, to: ticket }
  - { from: ask_email, to: gave_up, port: error }
  - { from: ticket, to: thanks }
  - { from: thanks, to: done }
`;

const askWorkflow = () => createWorkflowLibrary(createBuiltinRegistry().catalog()).add(ASK_FLOW);

/** Moves a waiting run's deadline into the past (the test cannot wait 30 minutes). */
async function expireDeadline(database: TestDatabase, tenantId: string, runId: string): Promise<string> {
  const past = new Date(Date.now() - 60_000).toISOString();
  await database.db.ownerTransaction((sql) =>
    sql.query(
      `UPDATE runs SET state = jsonb_set(state, '{waitingUntil}', to_jsonb($3::text)) WHERE tenant_id = $1 AND id = $2`,
      [tenantId, runId, past],
    ),
  );
  return past;
}

describe("resume and ask timeouts through the queue", { timeout: 40_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  let worker: RunWorker;
  const prefix = uniquePrefix("resume");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 12 });
    // The API side: records through the engine, never executes (no worker in this object).
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, engine: testEngine(database.db).engine });
    worker = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix,
      concurrency: 4,
      engineOptions: testEngineOptions(),
    });
  });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  async function waitingRun(tenantId: string): Promise<RunRecord> {
    const { engine, store } = testEngine(database.db);
    const run = await engine.createRun({ tenantId, workflow: askWorkflow(), input: {} });
    await queue.enqueueStart(tenantId, run.id);
    await waitFor("the run to ask", async () => (await store.getRun(tenantId, run.id))?.status === "waiting");
    return (await store.getRun(tenantId, run.id))!;
  }

  it("applies a message recorded by the API in a worker, once, even when its job is delivered again", async () => {
    const tenantId = await database.createTenant("resume", { seed: true });
    const { store } = testEngine(database.db);
    const run = await waitingRun(tenantId);
    expect(run.state.waitingUntil).toBeDefined();

    await queue.enqueueResume(tenantId, run.id, { kind: "message", text: "ana@example.com" });
    await waitFor("completion", async () => (await store.getRun(tenantId, run.id))?.status === "completed");
    // A second delivery of the same request (an outbox replay after its job was removed) changes nothing.
    await queue.queue.obliterate({ force: true });
    await createOutboxDispatcher({ db: database.db, queue }).runOnce();
    await queue.enqueueMany([{ tenantId, runId: run.id, kind: "resume", requestId: "replayed" }]);
    await waitFor(
      "the replayed jobs to finish",
      async () => (await queue.queueStats()).waiting + (await queue.queueStats()).active === 0,
    );

    const events = await store.listEvents(tenantId, run.id);
    expect(events.filter((e) => e.type === "message.received")).toHaveLength(1);
    expect(events.filter((e) => e.type === "resume.requested")).toHaveLength(1);
    expect(await countRows(database.db, tenantId, "SELECT count(*) AS n FROM tickets")).toBe(1);
    const final = await store.getRun(tenantId, run.id);
    expect(final?.state.resumedThrough).toBe(events.find((e) => e.type === "resume.requested")!.seq);
    expect(final?.state.waitingUntil).toBeUndefined();
  });

  it("applies two messages recorded in a row in order (the first is refused by validation)", async () => {
    const tenantId = await database.createTenant("two-messages", { seed: true });
    const { store } = testEngine(database.db);
    const run = await waitingRun(tenantId);
    await queue.enqueueResume(tenantId, run.id, { kind: "message", text: "not an email" });
    await queue.enqueueResume(tenantId, run.id, { kind: "message", text: "bo@example.com" });
    await waitFor("completion", async () => (await store.getRun(tenantId, run.id))?.status === "completed");
    const received = (await store.listEvents(tenantId, run.id)).filter((e) => e.type === "message.received");
    expect(received.map((e) => e.data.text)).toEqual(["not an email", "bo@example.com"]);
    const sent = (await store.listEvents(tenantId, run.id)).filter((e) => e.type === "message.sent");
    expect(sent.map((e) => e.data.text)).toEqual([
      "Your email?",
      "An email, please",
      "Thanks bo@example.com",
    ]);
  });

  it("refuses a message for a run that does not wait (FD207) and records nothing", async () => {
    const tenantId = await database.createTenant("refused", { seed: true });
    const { store } = testEngine(database.db);
    const run = await waitingRun(tenantId);
    await queue.enqueueResume(tenantId, run.id, { kind: "message", text: "cy@example.com" });
    await waitFor("completion", async () => (await store.getRun(tenantId, run.id))?.status === "completed");
    const error = await queue
      .enqueueResume(tenantId, run.id, { kind: "message", text: "late" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("FD207");
    const hand = await queue
      .enqueueResume(tenantId, run.id, { kind: "handback", resolved: true })
      .catch((e: unknown) => e);
    expect((hand as EngineError).code).toBe("FD207");
    const requests = (await store.listEvents(tenantId, run.id)).filter((e) => e.type === "resume.requested");
    expect(requests).toHaveLength(1);
  });

  it("an ask past its timeout takes its error edge through a delayed job; an early timer does nothing", async () => {
    const tenantId = await database.createTenant("timeout", { seed: true });
    const { store } = testEngine(database.db);
    const run = await waitingRun(tenantId);
    // The worker armed a delayed job for the real deadline (30 minutes away).
    expect((await queue.queueStats()).delayed).toBeGreaterThanOrEqual(1);
    // A timer that fires before the deadline is a no-op.
    await queue.scheduleTimeout(
      tenantId,
      run.id,
      run.state.waitingStep!,
      new Date(Date.now() - 1).toISOString(),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await store.getRun(tenantId, run.id))?.status).toBe("waiting");

    const past = await expireDeadline(database, tenantId, run.id);
    await queue.scheduleTimeout(tenantId, run.id, run.state.waitingStep!, past);
    await waitFor("the timeout", async () => (await store.getRun(tenantId, run.id))?.status === "completed");
    const done = await store.getRun(tenantId, run.id);
    expect(done?.output).toMatchObject({ outcome: "unresolved" });
    const failed = (await store.listSteps(tenantId, run.id)).find((s) => s.nodeName === "ask_email");
    expect(failed?.status).toBe("failed");
    expect(failed?.error?.code).toBe("FD212");
  });

  it("the reconciler finds an overdue ask whose timer was lost, and a recorded message whose job was lost", async () => {
    const tenantId = await database.createTenant("reconciled", { seed: true });
    const { engine, store } = testEngine(database.db);
    const overdue = await waitingRun(tenantId);
    const answered = await waitingRun(tenantId);
    await expireDeadline(database, tenantId, overdue.id);
    // Recorded without any enqueue, as if the API died right after its write and the outbox row were stamped.
    await engine.requestResume(tenantId, answered.id, { kind: "message", text: "di@example.com" });
    await database.db.ownerTransaction((sql) => sql.query("UPDATE run_outbox SET dispatched_at = now()"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reconciler = createRunReconciler({ db: database.db, queue, stuckAfterMs: 10 });
    expect(await reconciler.runOnce()).toBeGreaterThanOrEqual(2);
    await waitFor("both runs to finish", async () => {
      const a = await store.getRun(tenantId, overdue.id);
      const b = await store.getRun(tenantId, answered.id);
      return a?.status === "completed" && b?.status === "completed";
    });
    expect((await store.getRun(tenantId, overdue.id))?.output).toMatchObject({ outcome: "unresolved" });
    expect((await store.getRun(tenantId, answered.id))?.output).toMatchObject({ outcome: "resolved" });
  });

  it("the inline driver records, applies in-process and times out with a timer", async () => {
    const tenantId = await database.createTenant("inline", { seed: true });
    const { engine, store } = testEngine(database.db);
    const inline = createInlineQueue({ engine });
    try {
      const first = await engine.createRun({ tenantId, workflow: askWorkflow(), input: {} });
      await inline.enqueueStart(tenantId, first.id);
      await inline.drain();
      expect((await store.getRun(tenantId, first.id))?.status).toBe("waiting");
      expect(inline.timers()).toBe(1);
      await inline.enqueueResume(tenantId, first.id, { kind: "message", text: "x" });
      await inline.enqueueResume(tenantId, first.id, { kind: "message", text: "el@example.com" });
      await inline.drain();
      expect((await store.getRun(tenantId, first.id))?.status).toBe("completed");
      // The answered ask's timer went with the run's end, not at its deadline a day later.
      expect(inline.timers()).toBe(0);

      const second = await engine.createRun({ tenantId, workflow: askWorkflow(), input: {} });
      await inline.enqueueStart(tenantId, second.id);
      await inline.drain();
      const waiting = (await store.getRun(tenantId, second.id))!;
      const past = await expireDeadline(database, tenantId, second.id);
      await inline.scheduleTimeout(tenantId, second.id, waiting.state.waitingStep!, past);
      await waitFor(
        "the inline timeout",
        async () => (await store.getRun(tenantId, second.id))?.status === "completed",
      );
      expect((await store.getRun(tenantId, second.id))?.output).toMatchObject({ outcome: "unresolved" });
    } finally {
      await inline.close();
    }
  });
});
