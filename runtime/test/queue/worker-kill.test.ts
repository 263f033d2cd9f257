import { JOURNAL_EVENTS } from "../../src/store/journal-sql";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { MAX_UNFINISHED_ACTIVATIONS } from "../../src/engine/activation-guard";
import { createOutboxDispatcher } from "../../src/queue/outbox-dispatcher";
import type { Database } from "../../src/store/database";
import { startWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  createQueuedRuns,
  dropPrefix,
  sideEffects,
  statusCounts,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";
import { spawnWorker, type WorkerProcess } from "./worker-process";

/** Failed runs with their error code and the unfinished activations their `run.failed` event reports. */
async function poisonFailures(db: Database, tenantId: string) {
  return db.transaction(
    async (sql) =>
      (
        await sql.query<{ code: string; unfinished: number | null }>(
          `SELECT r.error->>'code' AS code, (e.data->>'unfinishedActivations')::int AS unfinished
             FROM runs r LEFT JOIN ${JOURNAL_EVENTS} AS e
               ON e.tenant_id = r.tenant_id AND e.run_id = r.id AND e.type = 'run.failed'
            WHERE r.status = 'failed'`,
        )
      ).rows,
    { tenantId },
  );
}

/** The distinct numbers of idempotency keys that completed runs hold (each should hold exactly two). */
async function keysPerCompletedRun(db: Database, tenantId: string): Promise<number[]> {
  return db.transaction(
    async (sql) =>
      (
        await sql.query<{ n: number }>(
          `SELECT DISTINCT (SELECT count(*)::int FROM idempotency_keys k WHERE k.key LIKE r.id::text || ':%') AS n
             FROM runs r WHERE r.status = 'completed' ORDER BY 1`,
        )
      ).rows.map((row) => row.n),
    { tenantId },
  );
}
const KILLS = 20;
const RUNS_PER_ROUND = 40;

/**
 * Real worker processes (worker-main.ts) are killed with SIGKILL at random moments while they execute runs of a
 * flow with two side effects (a ticket, a lead). Their jobs stall, another worker continues each run after its
 * last committed step, and the idempotency keys hold: every run completes, with exactly one ticket, one lead
 * and two keys per run, except the few that two kills cut mid-activation: those are failed as poison (FD219,
 * activation-guard.ts), since a real process death twice in one run is what an out-of-memory step looks like.
 */
// Bounded, with room for a loaded CI machine: each round starts two Node processes.
describe("worker processes killed with SIGKILL", { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  const spawned: WorkerProcess[] = [];
  const prefix = uniquePrefix("kill");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 12 });
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
  });
  afterAll(async () => {
    // A failed or timed-out test must not leave worker processes behind.
    await Promise.all(spawned.map((child) => (child.child.exitCode === null ? child.kill() : undefined)));
    await queue.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  it(`loses no run and duplicates no side effect across ${KILLS} kills`, async () => {
    const tenantId = await database.createTenant("chaos", { seed: true });
    const engine = testEngine(database.db);
    const dispatcher = createOutboxDispatcher({ db: database.db, queue });
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database.name}`;
    let created = 0;
    let midRun = 0;
    const cutRuns = async () =>
      new Set(
        await database.db.transaction(
          async (sql) =>
            (
              await sql.query<{ id: string }>(
                `SELECT r.id::text FROM runs r WHERE r.status <> 'completed'
                    AND EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.key LIKE r.id::text || ':%')`,
              )
            ).rows.map((row) => row.id),
          { tenantId },
        ),
      );
    const untilNewCut = async (before: ReadonlySet<string>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ([...(await cutRuns())].some((id) => !before.has(id))) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    let cutBefore = new Set<string>();
    // Two workers per round, each killed at its own random moment after its first job: 10 rounds, 20 kills.
    for (let round = 0; round < KILLS / 2; round += 1) {
      const children = [0, 1].map(() => spawnWorker({ databaseUrl, redisUrl: REDIS_URL, prefix }));
      spawned.push(...children);
      // Stored while the workers start; enqueued once both are ready, so each kill finds them busy.
      const runIds = await createQueuedRuns(engine, tenantId, RUNS_PER_ROUND);
      created += runIds.length;
      for (const child of children)
        expect({ ready: await child.ready(30_000), output: child.output() }).toMatchObject({ ready: true });
      await dispatcher.runOnce();
      await Promise.all(
        children.map(async (child) => {
          const started = await child.firstJob(15_000);
          expect({ started, output: child.output() }).toMatchObject({ started: true });
          // Aimed at the middle of runs: once the round has a run with an effect written and not completed (or
          // after a second: on a loaded machine a worker's first effect can come later than a blind delay),
          // then at a random moment soon after.
          await untilNewCut(cutBefore, 1_000);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
          await child.kill();
        }),
      );
      // A run with a side effect written that is not completed was cut in the middle by a kill (it may still
      // read `queued`: the first commit comes after the first effect). Count rounds that cut a new one.
      const cutAfter = await cutRuns();
      const cut = [...cutAfter].filter((id) => !cutBefore.has(id)).length;
      cutBefore = cutAfter;
      if (cut > 0) midRun += 1;
    }

    // A survivor picks up what the dead left behind (stalled jobs come back after the 1 s lock lapses).
    const survivor = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix,
      concurrency: 8,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      engineOptions: testEngineOptions(),
    });
    try {
      await waitFor(
        `${created} ended runs`,
        async () => {
          const { completed = 0, failed = 0 } = await statusCounts(database.db, tenantId);
          return completed + failed === created;
        },
        30_000,
        100,
      );
    } finally {
      await survivor.close();
    }
    const { completed = 0, ...others } = await statusCounts(database.db, tenantId);
    const poisoned = await poisonFailures(database.db, tenantId);
    console.info(
      `worker kills: ${KILLS}; ${midRun} of ${KILLS / 2} rounds cut new runs in the middle; ${created} runs, ` +
        `${poisoned.length} failed as poison (cut mid-activation by two kills)`,
    );
    // No run is lost: each completed, or (poison-run protection, issue 15) was failed with FD219 because two
    // kills cut it in the middle of an activation; such a run is never executed a third time.
    expect({ completed, ...others }).toEqual({
      completed: created - poisoned.length,
      ...(poisoned.length > 0 ? { failed: poisoned.length } : {}),
    });
    // At least two: a kill can also land between the pickup that counted a third activation and its refusal's
    // commit, and the next pickup then refuses with three (still never executing the run a third time).
    for (const failure of poisoned) {
      expect(failure.code).toBe("FD219");
      expect(failure.unfinished).toBeGreaterThanOrEqual(MAX_UNFINISHED_ACTIVATIONS);
    }
    // No side effect twice: every ticket and lead was written under its own step's key, once; a completed run
    // has both (a poison-failed run has those its activations reached).
    const effects = await sideEffects(database.db, tenantId);
    expect(effects.keys).toBe(effects.tickets + effects.leads);
    expect(await keysPerCompletedRun(database.db, tenantId)).toEqual([2]);
    expect(effects.tickets).toBeGreaterThanOrEqual(completed);
    expect(effects.leads).toBeGreaterThanOrEqual(completed);
    expect(midRun).toBeGreaterThanOrEqual(3);
  });
});
