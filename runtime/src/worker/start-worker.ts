import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "@flowdeck/node-library/runtime";
import { createDatabaseEngine, type DatabaseEngineOptions } from "../engine/database-engine";
import { EngineError } from "../engine/engine-errors";
import { silentLogger } from "../engine/engine-deps";
import type { RunRecord } from "../engine/run-types";
import { createBullmqQueue, RUN_QUEUE_NAME } from "../queue/bullmq-queue";
import { QueueError } from "../queue/queue-errors";
import { stalledCounterKey } from "../queue/queue-stats";
import { createRedisConnection } from "../queue/redis-connection";
import { createRunEventBus, type RunEventBus } from "../queue/run-event-bus";
import type { RunJob } from "../queue/run-queue";
import { createJobAdmission } from "../queue/job-admission";
import { createTenantLimiter, DEFAULT_PLAN_QUEUE_LIMITS, type PlanQueueLimits } from "../queue/tenant-limits";
import type { Database } from "../store/database";
import { isStoreError } from "../store/store-errors";
import { createPlanCache } from "./plan-cache";
import { withTraceCarrier } from "../telemetry/trace-carrier";

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
  /**
   * Per-plan concurrency and start rate per tenant, over all workers (`tenants.plan`). Default
   * DEFAULT_PLAN_QUEUE_LIMITS; `false` turns tenant limits off (one tenant, benchmarks).
   */
  readonly planLimits?: Readonly<Record<string, PlanQueueLimits>> | false;
  /**
   * A tenant's slot is leased this long and renewed while its run executes, so a killed worker's slots come
   * back about when its jobs do. Default 2 × `lockDurationMs`.
   */
  readonly tenantLeaseMs?: number;
  /** Publish committed events to API instances over Redis pub/sub (createRunEventBus). Default true. */
  readonly publishEvents?: boolean;
  readonly log?: Logger;
}

export interface RunWorker {
  readonly worker: Worker<RunJob>;
  /** Jobs finished by this worker since it started (tests and metrics). */
  readonly processed: () => number;
  /** Waits up to `shutdownTimeoutMs` for in-flight runs, then hands the rest back (their locks lapse). */
  close(): Promise<void>;
}

/** How long a shutdown that hands runs back waits for the database to take back their activation claims. */
const HAND_BACK_TIMEOUT_MS = 2_000;

/**
 * A BullMQ worker that executes runs with the engine. Start and resume jobs call `continueRun`: a queued run
 * starts, a running one (its worker died, BullMQ found the job stalled) continues after its last committed
 * step, recorded messages are applied in order, and a run with nothing to do is left alone. That is what makes
 * at-least-once delivery safe. Timeout jobs call `expireWait`. A run that waits on an ask gets a delayed job
 * for its `timeout_minutes`. Before executing, a job takes one of its tenant's slots (plan limits); without
 * one it goes back to the delayed set, so a flooding tenant never holds more than its share of workers.
 */
export function startWorker(options: WorkerOptions): RunWorker {
  const prefix = options.prefix ?? "flowdeck";
  const concurrency = options.concurrency ?? 8;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const leaseMs = options.tenantLeaseMs ?? 2 * lockDurationMs;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new QueueError("FD282", `concurrency must be a positive integer, got ${concurrency}.`);
  }
  const log = options.log ?? silentLogger;
  // BullMQ's connection stays BullMQ's alone; Flowdeck's own commands (admission, slot renewals and releases,
  // event publishing, the stalled counter) share one auto-pipelined connection, so what concurrent jobs issue
  // in one event-loop iteration leaves in one socket write.
  const connection = createRedisConnection(options.redisUrl);
  const own = createRedisConnection(options.redisUrl, { autoPipelining: true });
  own.on("error", (error: Error) => log.warn("worker redis error", { error: error.message }));
  const events: RunEventBus | undefined =
    options.publishEvents === false
      ? undefined
      : createRunEventBus({ redisUrl: options.redisUrl, prefix, log, publisher: own });
  const userOnEvents = options.engineOptions.onEvents;
  const { engine } = createDatabaseEngine({
    ...options.engineOptions,
    db: options.db,
    onEvents: (tenantId, runId, batch, conversationId, committed, channel) => {
      userOnEvents?.(tenantId, runId, batch, conversationId, committed, channel);
      // Not awaited: the run goes on; pub/sub is at most once and clients catch up from the event log.
      if (events && batch.length > 0) {
        events.publish({ tenantId, runId, conversationId, channel, events: batch }).catch(() => undefined);
      }
    },
  });
  const timers = createBullmqQueue({ redisUrl: options.redisUrl, prefix, log });
  const admission = createJobAdmission(own, prefix, leaseMs);
  const limiter = createTenantLimiter(own, prefix, leaseMs);
  const planLimits =
    options.planLimits === false ? undefined : (options.planLimits ?? DEFAULT_PLAN_QUEUE_LIMITS);
  const plans = createPlanCache(options.db);
  let processed = 0;

  async function execute(job: Job<RunJob>): Promise<RunRecord> {
    const { tenantId, runId, kind, stepId } = job.data;
    if (kind === "timeout") return engine.expireWait(tenantId, runId, stepId ?? "");
    // A fresh resume job never starts a second activation of a run another job is executing (applyResumes). A
    // redelivered one (its worker died or it failed) may own the run's activation itself: it continues it.
    const redelivered = job.stalledCounter > 0 || job.attemptsMade > 0;
    if (kind === "resume" && !redelivered) return engine.applyResumes(tenantId, runId);
    return engine.continueRun(tenantId, runId);
  }

  /** A waiting ask gets its deadline as a delayed job (idempotent: the job id is run + deadline). */
  async function armTimeout(run: RunRecord): Promise<void> {
    const { waitingUntil, waitingStep } = run.state;
    if (run.status !== "waiting" || !waitingUntil || !waitingStep) return;
    await timers.scheduleTimeout(run.tenantId, run.id, waitingStep, waitingUntil);
  }

  async function process(job: Job<RunJob>, token?: string): Promise<{ status: string }> {
    const { tenantId, runId } = job.data ?? {};
    if (typeof tenantId !== "string" || typeof runId !== "string") {
      throw new UnrecoverableError(new QueueError("FD283", `Job ${job.id} has no tenantId/runId.`).message);
    }
    // The first start takes the job out of its tenant's line (see tenant-fairness.ts); a redelivery does not.
    // One script does that and takes the tenant's slot (job-admission.ts).
    const leaveLine = job.data.kind !== "timeout" && job.attemptsStarted <= 1 && job.stalledCounter === 0;
    let limits: PlanQueueLimits | undefined;
    if (planLimits) {
      const plan = await plans.plan(tenantId);
      limits = planLimits[plan ?? "free"] ?? DEFAULT_PLAN_QUEUE_LIMITS.free;
    }
    const slot = await admission.admit({
      tenantId,
      jobId: job.id!,
      leaveLine,
      ...(limits ? { limits } : {}),
    });
    if (!slot.granted) {
      // Back to the delayed set with its priority; this worker slot takes another tenant's job meanwhile.
      await job.moveToDelayed(Date.now() + slot.retryInMs, token);
      throw new DelayedError();
    }
    let renew: NodeJS.Timeout | undefined;
    if (limits) {
      renew = setInterval(() => void limiter.renew(tenantId, job.id!).catch(() => undefined), leaseMs / 3);
      renew.unref();
    }
    try {
      const run = await withTraceCarrier(job.data.trace, () => execute(job));
      await armTimeout(run);
      processed += 1;
      return { status: run.status };
    } catch (error) {
      // Another process committed this run first: it is executing it, and it looks for recorded messages
      // after its commit, so nothing is lost by stopping here.
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
    } finally {
      if (renew) {
        clearInterval(renew);
        // Not awaited: the job completes in the same iteration and the release shares a write with whatever
        // else is pending; a release lost with Redis lapses with the lease.
        void limiter.release(tenantId, job.id!).catch(() => undefined);
      }
    }
  }

  const worker = new Worker<RunJob>(RUN_QUEUE_NAME, process, {
    connection,
    prefix,
    concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 20,
  });
  worker.on("error", (error) => log.warn("queue worker error", { error: error.message }));
  worker.on("failed", (job, error) =>
    log.warn("run job failed", { runId: job?.data.runId, attempts: job?.attemptsMade, error: error.message }),
  );
  // A counter for queueStats().stalled: BullMQ reports stalls as events only.
  worker.on("stalled", () => void own.incr(stalledCounterKey(prefix)).catch(() => undefined));

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
        await events?.close().catch(() => undefined);
        await timers.close().catch(() => undefined);
        if (outcome === "late") {
          // Hand back: drop the connection, so no lock is renewed. The locks lapse and another worker's stalled
          // check re-delivers the jobs; continueRun resumes each after its last committed step. worker-main
          // exits the process right after, so nothing here commits again.
          log.warn("worker shutdown timed out; handing in-flight runs back", { shutdownTimeoutMs });
          // A hand-back is no death of the process: take the runs' activation claims back first, so the next
          // worker does not count them towards failing them as poison (FD219). Bounded: the database may hang.
          let handBackTimer: NodeJS.Timeout | undefined;
          await Promise.race([
            engine.handBack().catch(() => 0),
            new Promise((resolve) => (handBackTimer = setTimeout(resolve, HAND_BACK_TIMEOUT_MS))),
          ]);
          clearTimeout(handBackTimer);
          connection.disconnect();
          own.disconnect();
          return;
        }
        await connection.quit().catch(() => connection.disconnect());
        await own.quit().catch(() => own.disconnect());
      })();
      return closing;
    },
  };
}
