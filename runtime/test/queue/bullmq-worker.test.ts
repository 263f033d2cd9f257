import { JOURNAL_EVENTS, journalStepsOf } from "../../src/store/journal-sql";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createInlineQueue } from "../../src/queue/inline-queue";
import { createOutboxDispatcher } from "../../src/queue/outbox-dispatcher";
import { createRunReconciler } from "../../src/queue/run-reconciler";
import { startWorker, type RunWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  countRows,
  createQueuedRuns,
  dropPrefix,
  sideEffects,
  statusCounts,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";

describe("queue drivers and the worker", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  let worker: RunWorker;
  const prefix = uniquePrefix("worker");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 12 });
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
    worker = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix,
      concurrency: 8,
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

  it("executes queued runs through BullMQ and a worker, each once", async () => {
    const tenantId = await database.createTenant("bullmq", { seed: true });
    const engine = testEngine(database.db);
    const runIds = await createQueuedRuns(engine, tenantId, 20);
    for (const runId of runIds) await queue.enqueueStart(tenantId, runId);
    // Enqueueing again is a no-op: jobId = runId.
    for (const runId of runIds) await queue.enqueueStart(tenantId, runId);
    await waitFor(
      "20 completed runs",
      async () => (await statusCounts(database.db, tenantId)).completed === 20,
    );
    expect(await sideEffects(database.db, tenantId)).toEqual({ tickets: 20, leads: 20, keys: 40 });
    expect(
      await countRows(
        database.db,
        tenantId,
        `SELECT count(*) AS n FROM ${JOURNAL_EVENTS} AS e WHERE type = 'run.started'`,
      ),
    ).toBe(20);
    const job = await queue.queue.getJob(runIds[0]!);
    expect(await job?.getState()).toBe("completed");
    expect(job?.returnvalue).toEqual({ status: "completed" });
  });

  it("moves pending starts into the queue and clears them; every run executes exactly once", async () => {
    const tenantId = await database.createTenant("outbox", { seed: true });
    const engine = testEngine(database.db);
    const runIds = await createQueuedRuns(engine, tenantId, 30);
    // Every tenant's runs still to enqueue (the first test enqueued its runs directly and left them marked).
    const pending = await database.db.ownerTransaction(
      async (sql) =>
        (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE start_pending")).rows[0]!
          .n,
    );
    expect(pending).toBeGreaterThanOrEqual(30);
    // Two dispatchers racing over the same rows: SKIP LOCKED splits them, jobId dedupes any overlap.
    const first = createOutboxDispatcher({ db: database.db, queue, batchSize: 7 });
    const second = createOutboxDispatcher({ db: database.db, queue, batchSize: 7 });
    const moved = await Promise.all([first.runOnce(), second.runOnce()]);
    expect(moved[0]! + moved[1]!).toBe(pending);
    expect(await first.runOnce()).toBe(0);
    await waitFor(
      "30 completed runs",
      async () => (await statusCounts(database.db, tenantId)).completed === 30,
    );
    expect(await countRows(database.db, tenantId, "SELECT count(*) AS n FROM runs WHERE start_pending")).toBe(
      0,
    );
    expect(
      await countRows(
        database.db,
        tenantId,
        `SELECT count(*) AS n FROM runs r ${journalStepsOf("r")} WHERE s.step_id IS NOT NULL`,
      ),
    ).toBe(5 * runIds.length);
    expect(
      await countRows(
        database.db,
        tenantId,
        `SELECT count(*) AS n FROM ${JOURNAL_EVENTS} AS e WHERE type = 'run.started'`,
      ),
    ).toBe(30);
    expect(await sideEffects(database.db, tenantId)).toEqual({ tickets: 30, leads: 30, keys: 60 });
  });

  it("re-enqueues a run stuck in queued without a live job, and leaves a finished one alone", async () => {
    const tenantId = await database.createTenant("reconcile", { seed: true });
    const engine = testEngine(database.db);
    const [orphan] = await createQueuedRuns(engine, tenantId, 1);
    // The start was marked enqueued but the job never reached Redis (a lost enqueue).
    await database.db.transaction((sql) => sql.query("UPDATE runs SET start_pending = false"), {
      tenantId,
    });
    const reconciler = createRunReconciler({ db: database.db, queue, stuckAfterMs: 0 });
    await waitFor("the reconciler to pick the orphan", async () => (await reconciler.runOnce()) >= 1, 5_000);
    await waitFor(
      "the orphan to complete",
      async () => (await engine.store.getRun(tenantId, orphan!))?.status === "completed",
    );
    expect(await sideEffects(database.db, tenantId)).toEqual({ tickets: 1, leads: 1, keys: 2 });
    // A completed run is not "stuck" any more: nothing to do.
    expect(await reconciler.runOnce()).toBe(0);
  });

  it("fails a job for a run that does not exist at once, without retries", async () => {
    const tenantId = await database.createTenant("missing");
    const runId = crypto.randomUUID();
    await queue.enqueueStart(tenantId, runId);
    await waitFor(
      "the job to fail",
      async () => (await queue.queue.getJob(runId)?.then((job) => job?.getState())) === "failed",
    );
    const job = await queue.queue.getJob(runId);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain(runId);
    // The reconciler may add it again later: a finished job does not block its id.
    expect(await queue.isLive(runId)).toBe(false);
    expect(await queue.queue.getJob(runId)).toBeUndefined();
  });

  it("the inline driver executes runs in-process with bounded concurrency", async () => {
    const tenantId = await database.createTenant("inline", { seed: true });
    const engine = testEngine(database.db);
    const inline = createInlineQueue({ engine: engine.engine, concurrency: 3 });
    const runIds = await createQueuedRuns(engine, tenantId, 10);
    await inline.enqueueMany(runIds.map((runId) => ({ tenantId, runId })));
    await inline.enqueueStart(tenantId, runIds[0]!);
    await inline.drain();
    expect(await statusCounts(database.db, tenantId)).toEqual({ completed: 10 });
    expect(await sideEffects(database.db, tenantId)).toEqual({ tickets: 10, leads: 10, keys: 20 });
    await inline.close();
    await expect(inline.enqueueStart(tenantId, runIds[0]!)).rejects.toMatchObject({ code: "FD280" });
  });
});
