/**
 * A process that boots the way the server or a worker does and picks up one stored run whose step kills the
 * process (poison-nodes.ts). Used by the poison-run test:
 *   node --import tsx poison-child.ts inline <databaseUrl> <runId> <counterFile> <deaths>
 *   node --import tsx poison-child.ts bullmq <databaseUrl> <runId> <counterFile> <deaths> <redisUrl> <prefix>
 * inline: the inline queue and the reconciler's startup pass put the run back, as after a restart; bullmq: a
 * worker takes the job (a killed worker's job comes back once its lock lapses). When the run is not executed
 * to its death, prints the run as it ends (`{"status":…}`) and exits 0.
 */
import { createDatabaseEngine, resolveFrom } from "../../src/engine/database-engine";
import { createModelGateway } from "../../src/models/model-gateway";
import { createInlineQueue } from "../../src/queue/inline-queue";
import { createRunReconciler } from "../../src/queue/run-reconciler";
import { createPgDatabase } from "../../src/store/pg-database";
import { createRunStore } from "../../src/store/sql-run-store";
import { startWorker } from "../../src/worker/start-worker";
import { dieExecutor, poisonRegistry } from "./poison-nodes";

const [mode, url, runId, counterFile, deaths, redisUrl, prefix] = process.argv.slice(2);
const db = createPgDatabase({ connectionString: url!, maxConnections: 4 });
const engineOptions = {
  registry: poisonRegistry(),
  executors: { "testkit.die": dieExecutor(counterFile!, Number(deaths)) },
  resolveWorkflow: resolveFrom(() => undefined),
  models: () => createModelGateway({ env: {} }),
};
const store = createRunStore(db);

/** The run's status and error, read with owner rights (the child does not know the tenant). */
async function ended(): Promise<{ status: string; error: unknown } | undefined> {
  const { rows } = await db.ownerTransaction((sql) =>
    sql.query<{ tenant_id: string }>("SELECT tenant_id::text FROM runs WHERE id = $1", [runId]),
  );
  const run = await store.getRun(rows[0]!.tenant_id, runId!);
  return run && ["completed", "failed", "cancelled"].includes(run.status)
    ? { status: run.status, error: run.error }
    : undefined;
}

if (mode === "inline") {
  const { engine } = createDatabaseEngine({ db, ...engineOptions });
  const queue = createInlineQueue({ engine });
  await createRunReconciler({ db, queue, stuckAfterMs: 0 }).runOnce();
  await queue.drain();
} else {
  const worker = startWorker({
    redisUrl: redisUrl!,
    db,
    prefix: prefix!,
    concurrency: 2,
    lockDurationMs: 1_000,
    stalledIntervalMs: 500,
    planLimits: false,
    publishEvents: false,
    engineOptions,
  });
  while (!(await ended())) await new Promise((resolve) => setTimeout(resolve, 100));
  await worker.close();
}
process.stdout.write(`${JSON.stringify(await ended())}\n`);
await db.close();
process.exit(0);
