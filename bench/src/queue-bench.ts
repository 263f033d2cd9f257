import { spawn } from "node:child_process";
import { createServer, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { createDatabaseEngine, resolveFrom } from "../../runtime/src/engine/database-engine";
import { createWorkflowLibrary } from "../../runtime/src/engine/workflow-library";
import { createModelGateway } from "../../runtime/src/models/model-gateway";
import { createBullmqQueue } from "../../runtime/src/queue/bullmq-queue";
import {
  diffCommandStats,
  measureNoopThroughput,
  readRedisCommandStats,
} from "../../runtime/src/queue/redis-baseline";
import { createRedisConnection } from "../../runtime/src/queue/redis-connection";
import { createPgDatabase } from "../../runtime/src/store/pg-database";
import { startWorker } from "../../runtime/src/worker/start-worker";
import { createTestDatabase } from "../../runtime/test/support/test-database";
import { cpuMsBetween, cpuMsOf } from "./process-cpu";
import { openStorageMeter, storagePerRun, type StorageUse } from "./run-storage-meter";

const RUNS = Number(process.env.FLOWDECK_BENCH_RUNS ?? 2_000);
const CONCURRENCY = Number(process.env.FLOWDECK_BENCH_CONCURRENCY ?? 16);
const TARGET_RATIO = 0.5;

// Five nodes, no model or tool calls: start → set → condition → reply → end.
const FIVE = `name: five_pure
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { topic: "{{ input.message | downcase }}" } } }
  - { name: is_order, type: condition, config: { expression: "vars.topic.contains('order')" } }
  - { name: answer, type: reply, config: { text: "You asked about {{ vars.topic }}" } }
  - { name: done, type: end, config: { outcome: resolved } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: answer, port: then }
  - { from: is_order, to: answer, port: else }
  - { from: answer, to: done }
`;

/**
 * Runs per second of a five-node flow through createRun (the API's write) → BullMQ → worker → PostgreSQL,
 * against raw BullMQ no-op jobs per second on the same Redis, measured in the same run; plus Redis commands
 * and PostgreSQL commits per run. Needs PostgreSQL on 127.0.0.1:5432. Redis: REDIS_URL if set; otherwise a
 * private `redis-server` on a spare port when one is installed (so `INFO commandstats` counts this bench alone,
 * not other work on a shared server), else 127.0.0.1:6379.
 */
export async function runQueueBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const privateRedis = process.env.REDIS_URL ? undefined : await startPrivateRedis();
  try {
    return await benchOn(privateRedis?.url ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379", log);
  } finally {
    privateRedis?.stop();
  }
}

/** A redis-server of our own, without persistence, on a spare loopback port; undefined if none is installed. */
async function startPrivateRedis(): Promise<{ url: string; stop: () => void } | undefined> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    child.once("error", () => resolve(false));
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  const stop = () => void child.kill("SIGKILL");
  if (!started) {
    stop();
    return undefined;
  }
  // Never left behind, even when the bench throws past its finally (process.exit elsewhere).
  process.once("exit", stop);
  return { url: `redis://127.0.0.1:${port}`, stop };
}

async function benchOn(redisUrl: string, log: (line: string) => void): Promise<{ ok: boolean }> {
  const prefix = `fdbench-${process.pid}-${Date.now()}`;
  const database = await createTestDatabase("pg", { maxConnections: CONCURRENCY + 4 });
  const workflow = createWorkflowLibrary(createBuiltinRegistry().catalog()).add(FIVE);
  const offline = createModelGateway({ env: {} });
  const engineOptions = { resolveWorkflow: resolveFrom(() => undefined), models: () => offline };
  const { engine } = createDatabaseEngine({ db: database.db, ...engineOptions });
  const queue = createBullmqQueue({ redisUrl, prefix });
  // The worker's own pool, as in a worker process: API writes and worker transactions do not queue for the
  // same connections.
  const workerDb = createPgDatabase({
    connectionString: `postgres://postgres@127.0.0.1:5432/${database.name}`,
    maxConnections: CONCURRENCY + 2,
  });
  // FLOWDECK_BENCH_PLAN_LIMITS=off: without the per-tenant slot (what the limits cost).
  const limits = process.env.FLOWDECK_BENCH_PLAN_LIMITS === "off" ? { planLimits: false as const } : {};
  const worker = startWorker({
    redisUrl,
    db: workerDb,
    prefix,
    concurrency: CONCURRENCY,
    engineOptions,
    ...limits,
  });
  try {
    // Enterprise: its 50 slots are more than the worker's 16, so tenant limits are checked (and cost their
    // Redis calls) but never hold a run back.
    const tenantId = await database.createTenant("bench", { plan: "enterprise" });
    const noopCpu = process.cpuUsage();
    const noop = await measureNoopThroughput({ redisUrl, prefix, jobs: RUNS, concurrency: CONCURRENCY });
    const noopCpuMs = cpuMsSince(noopCpu) / RUNS;

    // The same runs without a queue (createRun + continueRun in this process, same concurrency): what the
    // engine and PostgreSQL cost on their own, so the queue's own share of the time shows.
    let direct = 0;
    const directBackends = await backendCpuMs(database);
    const directStarted = performance.now();
    const directCpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (direct < RUNS) {
          const i = direct++;
          await engine.startRun({ tenantId, workflow, input: { message: `Where is my order ${i}?` } });
        }
      }),
    );
    const directPerSecond = RUNS / ((performance.now() - directStarted) / 1000);
    const directCpuMs = cpuMsSince(directCpu) / RUNS;
    const directPostgresCpuMs = cpuMsBetween(directBackends, await backendCpuMs(database)) / RUNS;

    // Rows and WAL the queued runs leave: the cluster's WAL position, so read right around this phase only.
    const storage = await openStorageMeter(database.name);
    const storageBefore = await storage.read();
    const commandsBefore = await readRedisCommandStats(redisUrl);
    const writesBefore = socketWrites();
    const commitsBefore = database.db.stats.transactions + workerDb.stats.transactions;
    const xactBefore = await serverCommits(database);
    const backendsBefore = await backendCpuMs(database);
    const redisCpuBefore = await redisCpuMs(redisUrl);
    const started = performance.now();
    const queueCpu = process.cpuUsage();
    // Many API requests at once: CONCURRENCY producers, each storing a run and enqueueing it.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RUNS) {
          const i = next++;
          const run = await engine.createRun({
            tenantId,
            workflow,
            input: { message: `Where is my order ${i}?` },
          });
          await queue.enqueueStart(tenantId, run.id);
        }
      }),
    );
    while (worker.processed() < RUNS) await new Promise((resolve) => setTimeout(resolve, 5));
    const seconds = (performance.now() - started) / 1000;
    const stored: StorageUse = { walBytes: 0, rows: 0, runs: 0 };
    await storage.add(stored, storageBefore, await storage.read());
    await storage.close();
    const queueCpuMs = cpuMsSince(queueCpu) / RUNS;
    const postgresCpuMs = cpuMsBetween(backendsBefore, await backendCpuMs(database)) / RUNS;
    const redisServerCpuMs = ((await redisCpuMs(redisUrl)) - redisCpuBefore) / RUNS;
    const runsPerSecond = RUNS / seconds;
    const writes = socketWrites(writesBefore);
    const byKind = diffCommandStats(commandsBefore, await readRedisCommandStats(redisUrl));
    const commandsPerRun = [...byKind.values()].reduce((a, b) => a + b, 0) / RUNS;
    const commitsPerRun =
      (database.db.stats.transactions + workerDb.stats.transactions - commitsBefore) / RUNS;
    // PostgreSQL's own count (pg_stat_database), which other backends report within about a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const xactPerRun = ((await serverCommits(database)) - xactBefore) / RUNS;
    // The baseline again, after the runs: the machine's speed drifts and the first measurement also pays
    // BullMQ's warm-up, so one taken before the runs alone swung the ratio by half. The ratio uses the mean.
    const noopAfter = await measureNoopThroughput({ redisUrl, prefix, jobs: RUNS, concurrency: CONCURRENCY });
    const noopJobsPerSecond = (noop.jobsPerSecond + noopAfter.jobsPerSecond) / 2;
    const ratio = runsPerSecond / noopJobsPerSecond;

    log(`queue: ${RUNS} runs of a 5-node flow, worker concurrency ${CONCURRENCY}, Redis ${redisUrl}`);
    log(`  runs/s through createRun → BullMQ → worker → PostgreSQL: ${runsPerSecond.toFixed(0)}`);
    log(
      `  raw BullMQ no-op jobs/s on the same Redis: ${noopJobsPerSecond.toFixed(0)} ` +
        `(${noop.jobsPerSecond.toFixed(0)} before the runs, ${noopAfter.jobsPerSecond.toFixed(0)} after)`,
    );
    log(`  ratio ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×)`);
    log(
      `  the same runs without a queue (startRun in-process): ${directPerSecond.toFixed(0)}/s; ` +
        `through the queue ${(runsPerSecond / directPerSecond).toFixed(2)}× of that`,
    );
    log(
      `  Redis commands per run ${commandsPerRun.toFixed(1)} (no-op job ${noop.commandsPerJob.toFixed(1)}), ` +
        `PostgreSQL transactions per run ${commitsPerRun.toFixed(2)} (pg_stat_database.xact_commit: ` +
        `${xactPerRun.toFixed(2)})`,
    );
    log(`  storage: ${storagePerRun(stored)}`);
    log(
      `  Redis commands per run by kind: ${[...byKind]
        .sort((a, b) => b[1] - a[1])
        .map(([kind, calls]) => `${kind} ${(calls / RUNS).toFixed(1)}`)
        .join(", ")}`,
    );
    // CPU time is steadier than throughput when other work shares the machine.
    log(
      `  CPU of this process (API + worker) per run: ${queueCpuMs.toFixed(2)} ms; per run without a queue ` +
        `${directCpuMs.toFixed(2)} ms; per no-op job ${noopCpuMs.toFixed(2)} ms`,
    );
    log(
      `  CPU per run elsewhere: this database's PostgreSQL backends ${postgresCpuMs.toFixed(2)} ms ` +
        `(${directPostgresCpuMs.toFixed(2)} ms without a queue), ` +
        `Redis server ${redisServerCpuMs.toFixed(2)} ms`,
    );
    log(
      `  socket writes per run from this process: Redis ${(writes.redis / RUNS).toFixed(1)}, ` +
        `PostgreSQL ${(writes.postgres / RUNS).toFixed(1)}`,
    );
    return { ok: ratio >= TARGET_RATIO };
  } finally {
    await worker.close();
    await workerDb.close();
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await database.close();
  }
}

// Every write this process makes to a socket (one syscall each), by server: what a run costs in round trips.
const writeCounts = { redis: 0, postgres: 0 };
const socketProto = Socket.prototype as unknown as {
  _writeGeneric: (this: Socket, ...args: unknown[]) => unknown;
};
const writeGeneric = socketProto._writeGeneric;
socketProto._writeGeneric = function (this: Socket, ...args: unknown[]) {
  if (this.remotePort === 5432) writeCounts.postgres += 1;
  else writeCounts.redis += 1;
  return writeGeneric.apply(this, args);
};

/** CPU used so far by each backend connected to the bench's database (Linux /proc; empty elsewhere). */
async function backendCpuMs(database: {
  db: import("../../runtime/src/store/database").Database;
}): Promise<Map<number, number>> {
  const pids = await database.db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
    );
    return rows.map((row) => row.pid);
  });
  return cpuMsOf(pids);
}

async function redisCpuMs(redisUrl: string): Promise<number> {
  const redis = createRedisConnection(redisUrl);
  try {
    const info = await redis.info("cpu");
    const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
    return (value("used_cpu_sys") + value("used_cpu_user")) * 1000;
  } finally {
    redis.disconnect();
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function socketWrites(since = { redis: 0, postgres: 0 }): { redis: number; postgres: number } {
  return { redis: writeCounts.redis - since.redis, postgres: writeCounts.postgres - since.postgres };
}

async function serverCommits(database: {
  db: import("../../runtime/src/store/database").Database;
}): Promise<number> {
  return database.db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ n: string }>(
      "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(rows[0]?.n ?? 0);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runQueueBench((line) => process.stdout.write(`${line}\n`));
  process.exitCode = result.ok ? 0 : 1;
}
