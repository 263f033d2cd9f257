import { pathToFileURL } from "node:url";
import { createBullmqQueue } from "../../runtime/src/queue/bullmq-queue";
import { createOutboxDispatcher } from "../../runtime/src/queue/outbox-dispatcher";
import { startWorker } from "../../runtime/src/worker/start-worker";
import { createTestDatabase } from "../../runtime/test/support/test-database";
import {
  countRows,
  createQueuedRuns,
  sideEffects,
  statusCounts,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "../../runtime/test/queue/queue-support";
import { spawnWorker, type WorkerProcess } from "../../runtime/test/queue/worker-process";

const RUNS_PER_ROUND = 40;

/**
 * The long form of test/queue/worker-kill.test.ts: `kills` SIGKILLs (default 100) of real worker processes at
 * random moments, two workers per round, over runs of a flow with two side effects; then a survivor finishes
 * everything. Passes with 0 lost runs and exactly one ticket, one lead and two idempotency keys per completed
 * run; a run two kills cut mid-activation ends failed as poison (FD219) and is reported, not lost.
 *   node --import tsx bench/src/queue-chaos.ts [kills]
 */
export async function runChaos(log: (line: string) => void, kills = 100): Promise<{ ok: boolean }> {
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = uniquePrefix("chaos");
  const database = await createTestDatabase("pg", { maxConnections: 12 });
  const queue = createBullmqQueue({ redisUrl, prefix });
  const spawned: WorkerProcess[] = [];
  try {
    const tenantId = await database.createTenant("chaos", { seed: true });
    const engine = testEngine(database.db);
    const dispatcher = createOutboxDispatcher({ db: database.db, queue });
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database.name}`;
    let created = 0;
    for (let round = 0; round < Math.ceil(kills / 2); round += 1) {
      const children = [0, 1].map(() => spawnWorker({ databaseUrl, redisUrl, prefix }));
      spawned.push(...children);
      created += (await createQueuedRuns(engine, tenantId, RUNS_PER_ROUND)).length;
      for (const child of children) {
        // Generous: a loaded machine takes a while to start Node with the TypeScript loader.
        if (!(await child.ready(120_000))) throw new Error(`a worker did not start: ${child.output()}`);
      }
      await dispatcher.runOnce();
      await Promise.all(
        children.map(async (child) => {
          await child.firstJob(15_000);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 80));
          await child.kill();
        }),
      );
      if ((round + 1) % 10 === 0) log(`chaos: ${2 * (round + 1)} kills, ${created} runs so far`);
    }
    const survivor = startWorker({
      redisUrl,
      db: database.db,
      prefix,
      concurrency: 8,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      engineOptions: testEngineOptions(),
    });
    try {
      await waitFor(
        "every run to end",
        async () => {
          const { completed = 0, failed = 0 } = await statusCounts(database.db, tenantId);
          return completed + failed === created;
        },
        120_000,
        200,
      );
    } finally {
      await survivor.close();
    }
    const counts = await statusCounts(database.db, tenantId);
    const effects = await sideEffects(database.db, tenantId);
    // A run that two kills cut mid-activation is failed as poison (FD219, runtime's activation-guard.ts): not
    // lost, and it holds the side effects its activations reached, each under its own key.
    const poisoned = await countRows(
      database.db,
      tenantId,
      "SELECT count(*) AS n FROM runs WHERE status = 'failed' AND error->>'code' = 'FD219'",
    );
    const lost = created - (counts.completed ?? 0) - poisoned;
    const duplicated = effects.tickets + effects.leads - effects.keys;
    const short = await countRows(
      database.db,
      tenantId,
      `SELECT count(*) AS n FROM runs r WHERE r.status = 'completed'
          AND (SELECT count(*) FROM idempotency_keys k WHERE k.key LIKE r.id::text || ':%') <> 2`,
    );
    log(
      `chaos: ${kills} kills over ${created} runs: ${lost} lost, ${duplicated} duplicated side effects, ` +
        `${short} completed runs without both effects, ${poisoned} failed as poison (cut by two kills)`,
    );
    return { ok: lost === 0 && duplicated === 0 && short === 0 };
  } finally {
    // Whatever happened, no worker process outlives the script.
    await Promise.all(spawned.map((child) => (child.child.exitCode === null ? child.kill() : undefined)));
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runChaos((line) => process.stdout.write(`${line}\n`), Number(process.argv[2] ?? 100));
  process.exitCode = result.ok ? 0 : 1;
}
