/**
 * `flowdeck worker` as a process: executes queued runs from Redis against PostgreSQL until SIGTERM/SIGINT.
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… FLOWDECK_QUEUE_PREFIX=flowdeck \
 *   FLOWDECK_WORKER_CONCURRENCY=8 node --import tsx runtime/src/worker/worker-main.ts
 * Optional: FLOWDECK_SHUTDOWN_TIMEOUT_MS, FLOWDECK_LOCK_DURATION_MS, FLOWDECK_STALLED_INTERVAL_MS.
 * Prints one JSON line per job start (`{"event":"active","runId":…}`) when FLOWDECK_WORKER_TRACE=1 (tests).
 */
import { createPgDatabase } from "../store/pg-database";
import { QueueError } from "../queue/queue-errors";
import { startWorker } from "./start-worker";

const env = process.env;
const number = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);

if (!env.DATABASE_URL || !env.REDIS_URL) {
  const error = new QueueError("FD284", "DATABASE_URL and REDIS_URL are required.");
  console.error(`${error.code} ${error.message} ${error.hint}`);
  process.exit(2);
}

const concurrency = number("FLOWDECK_WORKER_CONCURRENCY") ?? 8;
const db = createPgDatabase({ connectionString: env.DATABASE_URL, maxConnections: concurrency + 2 });
const shutdownTimeoutMs = number("FLOWDECK_SHUTDOWN_TIMEOUT_MS");
const lockDurationMs = number("FLOWDECK_LOCK_DURATION_MS");
const stalledIntervalMs = number("FLOWDECK_STALLED_INTERVAL_MS");
const worker = startWorker({
  redisUrl: env.REDIS_URL,
  db,
  prefix: env.FLOWDECK_QUEUE_PREFIX ?? "flowdeck",
  concurrency,
  // Runs carry their own definition; subflows need published versions, which the server's resolver provides.
  engineOptions: { resolveWorkflow: async () => undefined },
  ...(shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs } : {}),
  ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
  ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
});
// A closed stdout (a supervisor that went away) must not crash the worker mid-run.
process.stdout.on("error", () => undefined);
if (env.FLOWDECK_WORKER_TRACE === "1") {
  worker.worker.on("active", (job) =>
    process.stdout.write(`${JSON.stringify({ event: "active", runId: job.data.runId })}\n`),
  );
}
worker.worker.on("ready", () => process.stdout.write(`${JSON.stringify({ event: "ready" })}\n`));

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${JSON.stringify({ event: "stopping", signal })}\n`);
  await worker.close();
  await db.close().catch(() => undefined);
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
