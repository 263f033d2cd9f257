import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import type { Logger } from "@flowdeck/node-library/runtime";
import {
  createDatabaseEngine,
  createInlineQueue,
  createOutboxDispatcher,
  createRunReconciler,
  TERMINAL_STATUSES,
  type Database,
  type DatabaseEngineOptions,
  type RunRecord,
  type RunStatus,
} from "@flowdeck/runtime";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { ApiError } from "../app/api-error";
import { createMessageRateLimiter, type MessageRateLimiter } from "../plans/message-rate-limiter";
import { meterRunStart, tenantPlan } from "../plans/plan-usage";
import { createConversationLanes } from "./conversation-lanes";
import type { RunEventBatch, RunHost } from "./run-host";
import { createWorkflowSource } from "./workflow-source";

export interface RunHostOptions {
  readonly db: Database;
  readonly log: Logger;
  /** Models, HTTP clients, executors, registry …; tests point models at the fake OpenAI server here. */
  readonly engine?: Omit<DatabaseEngineOptions, "db" | "resolveWorkflow" | "onEvents">;
  readonly rateLimiter?: MessageRateLimiter;
  /** Runs executing at once in this process (inline driver). Default 8. */
  readonly concurrency?: number;
  /** How often stored-but-not-enqueued runs are picked up (after a crash). Default 1,000 ms. */
  readonly outboxIntervalMs?: number;
}

/** Statuses at which a run has stopped for now: nothing executes until a message, a human or nobody acts. */
const SETTLED: ReadonlySet<RunStatus> = new Set([...TERMINAL_STATUSES, "waiting", "handoff"]);
const SETTLING_EVENTS = new Set([
  "run.waiting",
  "run.handoff",
  "run.completed",
  "run.failed",
  "run.cancelled",
]);
/** How long a queued message waits for the conversation's previous activation before it gives up. */
const LANE_SETTLE_TIMEOUT_MS = 120_000;
const PLAN_CACHE_TTL_MS = 60_000;

/**
 * The inline RunHost: the engine, the inline queue, the outbox dispatcher and the reconciler in this process.
 * Runs are stored first (with their outbox row) and executed by the queue, so a crash between the two is
 * repaired on the next start; events reach subscribers right after each commit.
 */
export function createRunHost(options: RunHostOptions): RunHost {
  const { db, log } = options;
  const registry = options.engine?.registry ?? createBuiltinRegistry();
  const source = createWorkflowSource(db, createWorkflowValidator(registry.catalog()));
  const events = new EventEmitter().setMaxListeners(0);
  const ALL = Symbol("all tenants");
  const publish = (batch: RunEventBatch) => {
    events.emit(batch.tenantId, batch);
    events.emit(ALL, batch);
  };
  const { engine, store } = createDatabaseEngine({
    ...options.engine,
    db,
    registry,
    log,
    resolveWorkflow: (tenantId, name) => source.latestByName(tenantId, name),
    onEvents: (tenantId, runId, batch, conversationId) =>
      publish({ tenantId, runId, conversationId, events: batch }),
  });
  const queue = createInlineQueue({ engine, concurrency: options.concurrency ?? 8, log });
  const outbox = createOutboxDispatcher({ db, queue, intervalMs: options.outboxIntervalMs ?? 1_000, log });
  const reconciler = createRunReconciler({ db, queue, log });
  outbox.start();
  reconciler.start();
  const lanes = createConversationLanes();
  const rateLimiter = options.rateLimiter ?? createMessageRateLimiter();
  const plans = new Map<string, { plan: string; at: number }>();
  const background = new Set<Promise<unknown>>();

  async function planOf(tenantId: string): Promise<string> {
    const cached = plans.get(tenantId);
    if (cached && Date.now() - cached.at < PLAN_CACHE_TTL_MS) return cached.plan;
    const { plan } = await db.transaction((sql) => tenantPlan(sql), { tenantId });
    plans.set(tenantId, { plan, at: Date.now() });
    return plan;
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    const settled = promise.catch((error: unknown) => {
      log.error("run activation failed outside the engine", { error: String(error) });
    });
    background.add(settled);
    void settled.finally(() => background.delete(settled));
    return promise;
  }

  async function getRun(tenantId: string, runId: string): Promise<RunRecord> {
    const run = await store.getRun(tenantId, runId);
    if (!run) throw new ApiError("FD322", "No such run.");
    return run;
  }

  function settled(
    tenantId: string,
    runId: string,
    timeoutMs: number,
    afterStateVersion = -1,
  ): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      let finished = false;
      const finish = (run: RunRecord) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        events.off(tenantId, onBatch);
        resolve(run);
      };
      const check = (force: boolean) =>
        getRun(tenantId, runId).then((run) => {
          if (force || (SETTLED.has(run.status) && run.stateVersion > afterStateVersion)) finish(run);
        }, reject);
      const onBatch = (batch: RunEventBatch) => {
        if (batch.runId === runId && batch.events.some((e) => SETTLING_EVENTS.has(e.type))) void check(false);
      };
      const timer = setTimeout(() => void check(true), timeoutMs);
      events.on(tenantId, onBatch);
      // Subscribed first, then read: a run that settles in between is caught by one or the other.
      void check(false);
    });
  }

  async function start(request: Parameters<RunHost["start"]>[0]): Promise<RunRecord> {
    const { workflow, version } = await source.load(request.tenantId, request.target);
    await db.transaction((sql) => meterRunStart(sql, request.tenantId), { tenantId: request.tenantId });
    const run = await engine.createRun({
      tenantId: request.tenantId,
      workflow,
      workflowVersion: version,
      input: request.input,
      conversationId: request.conversationId ?? randomUUID(),
      channel: request.channel,
    });
    await queue.enqueueStart(request.tenantId, run.id);
    return run;
  }

  async function latestInConversation(
    tenantId: string,
    conversationId: string,
  ): Promise<RunRecord | undefined> {
    const id = await db.transaction(
      async (sql) =>
        (
          await sql.query<{ id: string }>(
            "SELECT id::text AS id FROM runs WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1",
            [conversationId],
          )
        ).rows[0]?.id,
      { tenantId },
    );
    return id ? store.getRun(tenantId, id) : undefined;
  }

  return {
    driver: "inline",
    start,
    settled,

    async message(request) {
      await rateLimiter.consume(request.tenantId, await planOf(request.tenantId));
      return lanes.enqueue(`${request.tenantId}:${request.conversationId}`, async () => {
        let latest = await latestInConversation(request.tenantId, request.conversationId);
        if (latest && !SETTLED.has(latest.status)) {
          latest = await settled(request.tenantId, latest.id, LANE_SETTLE_TIMEOUT_MS);
        }
        if (latest?.status === "handoff") {
          throw new ApiError("FD353", "A human agent has this conversation.");
        }
        if (latest?.status === "waiting") {
          const resumed = track(
            engine.resumeRun(request.tenantId, latest.id, { kind: "message", text: request.text }),
          );
          return { result: latest, done: resumed };
        }
        const run = await start({
          tenantId: request.tenantId,
          target: request.target,
          input: { message: request.text },
          channel: request.channel,
          conversationId: request.conversationId,
        });
        return { result: run, done: settled(request.tenantId, run.id, LANE_SETTLE_TIMEOUT_MS) };
      });
    },

    async handback(tenantId, runId, reply) {
      const run = await getRun(tenantId, runId);
      if (run.status !== "handoff") {
        throw new ApiError("FD354", `The run is ${run.status}, not waiting for a human.`);
      }
      return lanes.enqueue(`${tenantId}:${run.conversationId}`, async () => {
        const resumed = track(
          engine.resumeRun(tenantId, runId, {
            kind: "handback",
            resolved: reply.resolved,
            ...(reply.agentReply ? { agentReply: reply.agentReply } : {}),
          }),
        );
        return { result: run, done: resumed };
      });
    },

    async cancel(tenantId, runId, reason) {
      await getRun(tenantId, runId);
      return engine.cancelRun(tenantId, runId, reason);
    },

    subscribe(tenantId, listener) {
      events.on(tenantId, listener);
      return () => events.off(tenantId, listener);
    },

    subscribeAll(listener) {
      events.on(ALL, listener);
      return () => events.off(ALL, listener);
    },

    async close() {
      await Promise.all([outbox.stop(), reconciler.stop()]);
      await lanes.idle();
      await Promise.all([...background]);
      await queue.drain();
      await queue.close();
    },
  };
}
