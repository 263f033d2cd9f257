import { JOURNAL_EVENTS } from "../../src/store/journal-sql";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createTenantLimiter } from "../../src/queue/tenant-limits";
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

const FLOOD = 10_000;
const CONCURRENCY = 8;

/** Copies one stored queued run `count` times in one statement (a flood without 10,000 round trips). */
async function cloneRuns(
  database: TestDatabase,
  tenantId: string,
  templateId: string,
  count: number,
): Promise<string[]> {
  const { rows } = await database.db.ownerTransaction((sql) =>
    sql.query<{ id: string }>(
      `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, state_version,
                         event_seq, input, conversation_id, channel)
       SELECT tenant_id, gen_random_uuid(), workflow_name, workflow_version, definition_hash, 'queued', state, 0, 1,
              jsonb_build_object('message', 'flood ' || n, 'email', 'flood-' || n || '@example.com'),
              gen_random_uuid()::text, channel
         FROM runs, generate_series(1, $3::int) AS n WHERE tenant_id = $1 AND id = $2
       RETURNING id::text`,
      [tenantId, templateId, count],
    ),
  );
  return rows.map((row) => row.id);
}

/**
 * Tenant A floods the queue with 10,000 runs; tenant B then enqueues one. Priorities put B's run next in line,
 * so it starts as soon as one worker slot frees. The bound, in runs rather than wall-clock time: at most
 * `concurrency` of A's runs start between B's enqueue and B's start (slots that were already fetching), and at
 * most 3 × concurrency of A's runs complete while B waits and executes (those executing when B arrived, and
 * those in the other slots next to B's). First-in-first-out would make B wait for all ~10,000. A is on the
 * enterprise plan here (50 slots > 8 workers), so its cap never helps B: the priorities alone must.
 */
describe("fairness between tenants", { timeout: 120_000 }, () => {
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

  it("a tenant flooding 10,000 runs cannot starve another tenant's single run", async () => {
    const engine = testEngine(database.db);
    const a = await database.createTenant("flooder", { seed: true });
    const b = await database.createTenant("quiet", { seed: true });
    await database.db.ownerTransaction((sql) =>
      sql.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [a]),
    );
    const [template] = await createQueuedRuns(engine, a, 1);
    const floodIds = [template!, ...(await cloneRuns(database, a, template!, FLOOD - 1))];
    for (let i = 0; i < floodIds.length; i += 1_000) {
      await queue.enqueueMany(floodIds.slice(i, i + 1_000).map((runId) => ({ tenantId: a, runId })));
    }
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
    await waitFor("the flood to be under way", async () => (await completedA()) >= 50, 60_000);

    const before = await completedA();
    const stats = await queue.queueStats();
    const enqueuedIso = new Date().toISOString();
    await queue.enqueueStart(b, quiet!);
    await waitFor(
      "B's run",
      async () => (await engine.store.getRun(b, quiet!))?.status === "completed",
      30_000,
      5,
    );
    const overtaken = (await completedA()) - before;

    // Queue position, the fairness itself: A's runs that started after B was enqueued and before B started.
    const bStarted = (await engine.store.listEvents(b, quiet!)).find((e) => e.type === "run.started")!.at;
    const startedAhead = await countRows(
      database.db,
      a,
      `SELECT count(*) AS n FROM ${JOURNAL_EVENTS} AS e WHERE type = 'run.started'
          AND at > '${enqueuedIso}'::timestamptz AND at < '${bStarted}'::timestamptz`,
    );

    console.info(
      `fairness: ${stats.waiting} of A's runs waiting (oldest ${stats.oldestWaitMs} ms); ${startedAhead} of them ` +
        `started ahead of B's run (bound ${CONCURRENCY}) and ${overtaken} completed while B's waited and ran ` +
        `(bound ${3 * CONCURRENCY})`,
    );
    expect(stats.waiting).toBeGreaterThan(FLOOD / 2);
    expect(stats.oldestWaitMs).toBeGreaterThan(0);
    expect(startedAhead).toBeLessThanOrEqual(CONCURRENCY);
    expect(overtaken).toBeLessThanOrEqual(3 * CONCURRENCY);
    expect(FLOOD - (await completedA())).toBeGreaterThan(FLOOD / 2);
    await worker.close();
    worker = undefined;
  });

  it("counts a job once in its tenant's line, however often it is enqueued (outbox replays, reconciler)", async () => {
    const engine = testEngine(database.db);
    const tenant = await database.createTenant("replayed", { seed: true });
    const ids = await createQueuedRuns(engine, tenant, 3);
    for (let i = 0; i < 3; i += 1) await queue.enqueueMany(ids.map((runId) => ({ tenantId: tenant, runId })));
    expect(await redis.get(`${prefix}:fairness:pending:${tenant}`)).toBe("3");
  });

  it("enqueues issued together are added together, each caller answered, a job twice counted once", async () => {
    const engine = testEngine(database.db);
    const tenant = await database.createTenant("together", { seed: true });
    const [a, b, c] = await createQueuedRuns(engine, tenant, 3);
    await Promise.all([
      queue.enqueueStart(tenant, a!),
      queue.enqueueStart(tenant, a!),
      queue.enqueueMany([
        { tenantId: tenant, runId: b! },
        { tenantId: tenant, runId: c! },
      ]),
    ]);
    expect(await redis.get(`${prefix}:fairness:pending:${tenant}`)).toBe("3");
    const priorities = await Promise.all(
      [a, b, c].map(async (id) => (await queue.queue.getJob(id!))?.priority),
    );
    expect(priorities.sort()).toEqual([1, 2, 3]);
  });

  it("a free tenant never executes more than its plan's 2 runs at once, over all workers", async () => {
    const engine = testEngine(database.db);
    const free = await database.createTenant("free", { plan: "free", seed: true });
    const ids = await createQueuedRuns(engine, free, 30);
    await queue.enqueueMany(ids.map((runId) => ({ tenantId: free, runId })));
    // Two workers (two processes' worth of slots): the cap is shared through Redis, not per worker.
    const workers = [0, 1].map(() =>
      startWorker({
        redisUrl: REDIS_URL,
        db: database.db,
        prefix,
        concurrency: 4,
        engineOptions: testEngineOptions(),
      }),
    );
    try {
      const limiter = createTenantLimiter(redis, prefix, 60_000);
      let most = 0;
      await waitFor(
        "the free tenant's 30 runs",
        async () => {
          most = Math.max(most, await limiter.active(free));
          return (
            (await countRows(
              database.db,
              free,
              "SELECT count(*) AS n FROM runs WHERE status = 'completed'",
            )) === 30
          );
        },
        60_000,
        2,
      );
      // The log agrees: at no moment were more than two runs between run.started and run.completed.
      const overlap = await countRows(
        database.db,
        free,
        `WITH spans AS (
           SELECT run_id, min(at) FILTER (WHERE type = 'run.started') AS s, max(at) FILTER (WHERE type = 'run.completed') AS e
             FROM ${JOURNAL_EVENTS} AS e GROUP BY run_id)
         SELECT max((SELECT count(*) FROM spans o WHERE o.s <= x.s AND o.e > x.s)) AS n FROM spans x`,
      );
      console.info(
        `tenant caps: at most ${most} leases seen, ${overlap} runs executing at once in the log (cap 2)`,
      );
      expect(most).toBeLessThanOrEqual(2);
      expect(overlap).toBeLessThanOrEqual(2);
      expect(most).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  });
});
