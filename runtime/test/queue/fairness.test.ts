import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { startWorker, type RunWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  countRows,
  createQueuedRuns,
  dropPrefix,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";

const FLOOD = 2_000;
const CONCURRENCY = 8;

/**
 * Tenant A floods the queue with 2,000 runs; tenant B then enqueues one. Priorities put B's run next in line,
 * so it starts as soon as one worker slot frees. The bounds, in runs rather than wall-clock time: at most
 * `concurrency` of A's runs start between B's enqueue and B's start (slots that were already fetching), and
 * at most 3 × concurrency of A's runs complete while B waits and executes (those executing when B arrived,
 * and those running in the other slots next to B's). First-in-first-out would make B wait for all ~2,000.
 */
describe("fairness between tenants", { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  let worker: RunWorker | undefined;
  const prefix = uniquePrefix("fair");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 16 });
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await queue.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  it("a flooding tenant cannot starve another tenant's single run", async () => {
    const engine = testEngine(database.db);
    const a = await database.createTenant("flooder", { seed: true });
    const b = await database.createTenant("quiet", { seed: true });
    const floodIds: string[] = [];
    for (let i = 0; i < FLOOD / 100; i += 1) {
      const chunk = await Promise.all(Array.from({ length: 10 }, () => createQueuedRuns(engine, a, 10)));
      floodIds.push(...chunk.flat());
    }
    await queue.enqueueMany(floodIds.map((runId) => ({ tenantId: a, runId })));
    const [quiet] = await createQueuedRuns(engine, b, 1);

    worker = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix,
      concurrency: CONCURRENCY,
      engineOptions: testEngineOptions(),
    });
    const completedA = () =>
      countRows(database.db, a, "SELECT count(*) AS n FROM runs WHERE status = 'completed'");
    await waitFor("the flood to be under way", async () => (await completedA()) >= 50);

    const before = await completedA();
    const enqueuedAt = performance.now();
    const enqueuedIso = new Date().toISOString();
    await queue.enqueueStart(b, quiet!);
    await waitFor(
      "B's run",
      async () => (await engine.store.getRun(b, quiet!))?.status === "completed",
      30_000,
      5,
    );
    const latencyMs = performance.now() - enqueuedAt;
    const overtaken = (await completedA()) - before;

    // Queue position, the fairness itself: A's runs that started after B was enqueued and before B started.
    const bStarted = (await engine.store.listEvents(b, quiet!)).find((e) => e.type === "run.started")!.at;
    const startedAhead = await countRows(
      database.db,
      a,
      `SELECT count(*) AS n FROM run_events WHERE type = 'run.started'
          AND at > '${enqueuedIso}'::timestamptz AND at < '${bStarted}'::timestamptz`,
    );

    console.info(
      `fairness: B's run finished ${latencyMs.toFixed(0)} ms after enqueue; ${startedAhead} of A's runs started ` +
        `ahead of it (bound ${CONCURRENCY}) and ${overtaken} completed meanwhile (bound ${3 * CONCURRENCY}); ` +
        `A had ${FLOOD - before} runs left when B arrived`,
    );
    expect(startedAhead).toBeLessThanOrEqual(CONCURRENCY);
    expect(overtaken).toBeLessThanOrEqual(3 * CONCURRENCY);
    expect(FLOOD - (await completedA())).toBeGreaterThan(1_000);
  });
});
