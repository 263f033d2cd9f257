import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createOutboxDispatcher } from "../../src/queue/outbox-dispatcher";
import { createRunReconciler } from "../../src/queue/run-reconciler";
import { startWorker, type RunWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  createQueuedRuns,
  sideEffects,
  statusCounts,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";

const PORT = 16_400 + Math.floor(Math.random() * 1_000);
const REDIS = `redis://127.0.0.1:${PORT}`;

/** Our own Redis on a spare loopback port, without persistence: a restart comes back empty. */
async function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

async function killRedis(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/**
 * Redis dies (SIGKILL, no persistence, so every job is gone) while runs execute and while new runs are
 * accepted, then comes back empty. Runs are accepted by PostgreSQL (run + outbox row), so nothing is lost: the
 * dispatcher retries the outbox until Redis answers, the reconciler re-enqueues runs whose jobs vanished, and
 * the worker reconnects by itself.
 */
describe("a Redis killed and restarted under load", { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let redis: ChildProcess | undefined;
  let queue: BullmqRunQueue;
  let worker: RunWorker;
  const prefix = uniquePrefix("restart");

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 12 });
    redis = await startRedis();
    queue = createBullmqQueue({ redisUrl: REDIS, prefix });
    worker = startWorker({
      redisUrl: REDIS,
      db: database.db,
      prefix,
      concurrency: 4,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      engineOptions: testEngineOptions(),
    });
  });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    if (redis) await killRedis(redis);
    await database.close();
  });

  it("loses no accepted run and resumes processing", async () => {
    const tenantId = await database.createTenant("restart", { seed: true });
    const engine = testEngine(database.db);
    const dispatcher = createOutboxDispatcher({
      db: database.db,
      queue,
      intervalMs: 100,
      enqueueTimeoutMs: 1_000,
    });
    const reconciler = createRunReconciler({ db: database.db, queue, stuckAfterMs: 2_000, intervalMs: 500 });
    dispatcher.start();
    reconciler.start();
    try {
      let accepted = (await createQueuedRuns(engine, tenantId, 150)).length;
      await waitFor(
        "some runs to complete",
        async () => ((await statusCounts(database.db, tenantId)).completed ?? 0) >= 10,
      );
      await killRedis(redis!);
      redis = undefined;
      const atKill = await statusCounts(database.db, tenantId);
      // Accepted while Redis is down: PostgreSQL holds them.
      accepted += (await createQueuedRuns(engine, tenantId, 30)).length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      redis = await startRedis();
      accepted += (await createQueuedRuns(engine, tenantId, 20)).length;

      await waitFor(
        `${accepted} completed runs`,
        async () => (await statusCounts(database.db, tenantId)).completed === accepted,
        40_000,
        100,
      );
      console.info(
        `redis restart: ${atKill.completed ?? 0} of ${accepted} runs had completed when Redis was killed`,
      );
      expect(atKill.completed ?? 0).toBeLessThan(accepted);
      expect(await statusCounts(database.db, tenantId)).toEqual({ completed: accepted });
      expect(await sideEffects(database.db, tenantId)).toEqual({
        tickets: accepted,
        leads: accepted,
        keys: 2 * accepted,
      });
    } finally {
      await dispatcher.stop();
      await reconciler.stop();
    }
  });
});
