import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  createQueuedRuns,
  dropPrefix,
  statusCounts,
  testEngine,
  uniquePrefix,
} from "./queue-support";
import { spawnWorker } from "./worker-process";

/** SIGTERM lets in-flight runs finish: the worker exits 0 and leaves no run cut in the middle. */
describe("worker shutdown on SIGTERM", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  const prefix = uniquePrefix("term");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg");
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  it("finishes in-flight runs, takes no new ones and exits 0", async () => {
    const tenantId = await database.createTenant("term", { seed: true });
    const engine = testEngine(database.db);
    const runIds = await createQueuedRuns(engine, tenantId, 200);
    const child = spawnWorker({
      databaseUrl: `postgres://postgres@127.0.0.1:5432/${database.name}`,
      redisUrl: REDIS_URL,
      prefix,
      extra: { FLOWDECK_SHUTDOWN_TIMEOUT_MS: "10000" },
    });
    expect({ ready: await child.ready(20_000), output: child.output() }).toMatchObject({ ready: true });
    await queue.enqueueMany(runIds.map((runId) => ({ tenantId, runId })));
    expect({ started: await child.firstJob(10_000), output: child.output() }).toMatchObject({
      started: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await child.terminate()).toBe(0);

    const counts = await statusCounts(database.db, tenantId);
    // Everything it started, it finished; the rest is still queued for the next worker.
    expect(counts.running ?? 0).toBe(0);
    expect(counts.completed ?? 0).toBeGreaterThan(0);
    expect((counts.completed ?? 0) + (counts.queued ?? 0)).toBe(200);
    const cut = await database.db.transaction(
      async (sql) =>
        (
          await sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM runs r WHERE r.status <> 'completed'
                AND EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.key LIKE r.id::text || ':%')`,
          )
        ).rows[0]!.n,
      { tenantId },
    );
    expect(cut).toBe(0);
  });
});
