import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "@flowdeck/node-library/runtime";
import { createDatabaseEngine, type DatabaseEngineOptions } from "../engine/database-engine";
import { EngineError } from "../engine/engine-errors";
import { silentLogger } from "../engine/engine-deps";
import { RUN_QUEUE_NAME } from "../queue/bullmq-queue";
import { QueueError } from "../queue/queue-errors";
import { createRedisConnection } from "../queue/redis-connection";
import type { RunJob } from "../queue/run-queue";
import { createTenantFairness } from "../queue/tenant-fairness";
import type { Database } from "../store/database";
import { isStoreError } from "../store/store-errors";

export interface WorkerOptions {
  readonly redisUrl: string;
  readonly db: Database;
  /** Everything of the engine but the database (resolver, models, executors …). */
  readonly engineOptions: Omit<DatabaseEngineOptions, "db">;
  /** Same prefix as the queue's. Default `flowdeck`. */
  readonly prefix?: string;
  /** Runs executing at once in this process. Default 8. */
  readonly concurrency?: number;
  /** On close (SIGTERM), how long in-flight runs may take to finish before they are handed back. Default 10,000 ms. */
  readonly shutdownTimeoutMs?: number;
  /**
   * How long a job stays ours without a lock renewal. A killed worker's jobs go back to the queue after about
   * this long plus `stalledIntervalMs`. Default 30,000 ms (BullMQ's); tests use less.
   */
  readonly lockDurationMs?: number;
  /** How often this worker looks for other workers' stalled jobs. Default 30,000 ms. */
  readonly stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it fails; the reconciler still re-enqueues it. Default 20. */
  readonly maxStalledCount?: number;
  readonly log?: Logger;
}

export interface RunWorker {
  readonly worker: Worker<RunJob>;
  /** Jobs finished by this worker since it started (tests and metrics). */
  readonly processed: () => number;
  /** Waits up to `shutdownTimeoutMs` for in-flight runs, then hands the rest back (their locks lapse). */
  close(): Promise<void>;
}

/**
 * A BullMQ worker that executes runs with the engine. The processor only calls `continueRun`: a queued run
 * starts, a running one (its worker died, BullMQ found the job stalled) continues after its last committed
 * step, and a run that is already done is left alone. That is what makes at-least-once delivery safe.
 */
export function startWorker(options: WorkerOptions): RunWorker {
  const prefix = options.prefix ?? "flowdeck";
  const concurrency = options.concurrency ?? 8;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new QueueError("FD282", `concurrency must be a positive integer, got ${concurrency}.`);
  }
  const log = options.log ?? silentLogger;
  const { engine } = createDatabaseEngine({ ...options.engineOptions, db: options.db });
  const connection = createRedisConnection(options.redisUrl);
  const fairness = createTenantFairness(connection, prefix);
  let processed = 0;

  async function process(job: Job<RunJob>): Promise<{ status: string }> {
    const { tenantId, runId } = job.data ?? {};
    if (typeof tenantId !== "string" || typeof runId !== "string") {
      throw new UnrecoverableError(new QueueError("FD283", `Job ${job.id} has no tenantId/runId.`).message);
    }
    // The first start takes the job out of its tenant's line (see tenant-fairness.ts); a redelivery does not.
    if (job.attemptsStarted <= 1 && job.stalledCounter === 0) {
      await fairness.started(tenantId).catch(() => undefined);
    }
    try {
      const run = await engine.continueRun(tenantId, runId);
      processed += 1;
      return { status: run.status };
    } catch (error) {
      // Another process committed this run first: it is executing it, nothing is lost by stopping here.
      if (isStoreError(error, "FD260")) return { status: "moved-on" };
      // No such run or tenant: retrying cannot help.
      if (
        (error instanceof EngineError && error.code === "FD206") ||
        isStoreError(error, "FD261") ||
        isStoreError(error, "FD262")
      ) {
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      // Anything else is infrastructure (database down, pool exhausted): BullMQ retries with backoff.
      throw error;
    }
  }

  const worker = new Worker<RunJob>(RUN_QUEUE_NAME, process, {
    connection,
    prefix,
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 20,
  });
  worker.on("error", (error) => log.warn("queue worker error", { error: error.message }));
  worker.on("failed", (job, error) =>
    log.warn("run job failed", { runId: job?.data.runId, attempts: job?.attemptsMade, error: error.message }),
  );

  let closing: Promise<void> | undefined;
  return {
    worker,
    processed: () => processed,
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const graceful = worker.close().then(
          () => "closed" as const,
          () => "closed" as const,
        );
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), shutdownTimeoutMs);
        });
        const outcome = await Promise.race([graceful, late]);
        clearTimeout(timer);
        if (outcome === "late") {
          // Hand back: drop the connection, so no lock is renewed. The locks lapse and another worker's stalled
          // check re-delivers the jobs; continueRun resumes each after its last committed step. worker-main
          // exits the process right after, so nothing here commits again.
          log.warn("worker shutdown timed out; handing in-flight runs back", { shutdownTimeoutMs });
          connection.disconnect();
          return;
        }
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closing;
    },
  };
}
