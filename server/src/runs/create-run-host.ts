import { EventEmitter } from "node:events";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import type { CredentialVault, Logger } from "@flowdeck/node-library/runtime";
import {
  createDatabaseEngine,
  createOutboxDispatcher,
  runInputProblems,
  timeOrderedId,
  type Database,
  type DatabaseEngineOptions,
  type QueueStats,
  type RunRecord,
  type StartRunRequest,
} from "@flowdeck/runtime";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { ApiError } from "../kit/api-error";
import { createMessageRateLimiter, type MessageRateLimiter } from "../plans/message-rate-limiter";
import { tenantPlan } from "../plans/plan-usage";
import { createRunMeter, type RunMeterOptions } from "../plans/run-meter";
import { createTenantRunCaps } from "../plans/tenant-run-caps";
import { createConversationGreetings } from "./conversation-greeting";
import { createConversationLanes } from "./conversation-lanes";
import { createTenantHttpClients } from "../http-access/tenant-http-clients";
import { createPublishedWorkflows } from "./published-workflows";
import { createRecentRuns } from "./recent-runs";
import { createLeasedReconciler } from "./leased-reconciler";
import { createRunRetention, type RunRetentionOptions } from "./run-retention";
import type { RunEventBatch, RunHost, StartRunInput } from "./run-host";
import { createHostQueue, type RunHostDriver } from "./run-host-queue";
import { createSettledWaiter, runEventKey, SETTLED_STATUSES } from "./run-settling";
import { createWorkflowSource } from "./workflow-source";

export interface RunHostOptions {
  readonly db: Database;
  readonly log: Logger;
  /** Models, HTTP clients, executors, registry …; tests point models at the fake OpenAI server here. */
  readonly engine?: Omit<DatabaseEngineOptions, "db" | "resolveWorkflow" | "onEvents">;
  /** Entries every tenant's tool.http may reach besides its own allow-list (FLOWDECK_HTTP_ALLOW_LIST). */
  readonly operatorAllowList?: readonly string[];
  /** The tenants' stored credentials for tools (http-access/credential-store.ts); none when absent. */
  readonly credentials?: (tenantId: string) => CredentialVault;
  readonly rateLimiter?: MessageRateLimiter;
  /** Runs-per-month metering (batched per process; see run-meter.ts). */
  readonly runMeter?: RunMeterOptions;
  /** `inline` (default, runs execute here) or `bullmq` (Redis; `flowdeck worker` processes execute them). */
  readonly driver?: RunHostDriver;
  /** Inline concurrency, when `driver` is not given. Default 8. */
  readonly concurrency?: number;
  /** How often stored-but-not-enqueued runs are picked up (after a crash). Default 1,000 ms. */
  readonly outboxIntervalMs?: number;
  /**
   * How old an outbox row must be before the dispatcher enqueues it. The host enqueues right after its own
   * write, so the dispatcher only needs the leftovers of a crash. Default 5,000 ms.
   */
  readonly outboxMinAgeMs?: number;
  /**
   * Run history retention (run-retention.ts): on by default (hourly, first pass a minute after start); `false`
   * leaves it to another process or a test that runs it itself.
   */
  readonly retention?: false | Omit<RunRetentionOptions, "db" | "log">;
}

/** The RunHost plus what its owner (startServer) needs. */
export interface ServerRunHost extends RunHost {
  /** Redis queue statistics (bullmq only): /metrics gauges and /readyz. */
  readonly queueStats?: () => Promise<QueueStats>;
  /** Resolves once run events can be received (the Redis subscription is up; at once inline). */
  whenReady(): Promise<void>;
}

/** How long a queued message waits for the conversation's previous activation before it goes ahead anyway. */
const LANE_SETTLE_TIMEOUT_MS = 120_000;
const PLAN_CACHE_TTL_MS = 60_000;
const CLOSE_LANES_TIMEOUT_MS = 5_000;
/** With events over Redis (at most once), how often a waiting `settled` re-reads the run. */
const EVENT_LOSS_POLL_MS = 1_000;
// A new run's log begins with its `run.created` event.
const FIRST_SEQ = 1;

/**
 * The server's RunHost. Runs are stored first (marked `start_pending`), then enqueued, so a crash between the
 * two is repaired by the outbox dispatcher; the reconciler finds runs whose job was lost. Messages to a
 * waiting run are recorded by the engine before they are enqueued, so none is lost or applied twice.
 */
export function createRunHost(options: RunHostOptions): ServerRunHost {
  const { db, log } = options;
  const registry = options.engine?.registry ?? createBuiltinRegistry();
  const validator = createWorkflowValidator(registry.catalog());
  const subflows = createPublishedWorkflows(db, validator);
  const source = createWorkflowSource(db, validator, subflows);
  const events = new EventEmitter().setMaxListeners(0);
  const ALL = Symbol("all tenants");
  // Inline, this process is its runs' one writer, so their last commit here is what is stored (recent-runs.ts).
  const recent = (options.driver?.kind ?? "inline") === "inline" ? createRecentRuns() : undefined;
  const publish = (batch: RunEventBatch) => {
    if (batch.run) recent?.remember(batch.run);
    events.emit(batch.tenantId, batch);
    events.emit(runEventKey(batch.tenantId, batch.runId), batch);
    events.emit(ALL, batch);
  };
  // tool.http reaches what the tenant's admins allow-listed (server/src/http-access), unless a test brings its own.
  const tenantHttp = options.engine?.http
    ? undefined
    : createTenantHttpClients({ db, operatorAllowList: options.operatorAllowList ?? [] });
  const { engine, store } = createDatabaseEngine({
    ...(tenantHttp ? { http: tenantHttp.forTenant } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...options.engine,
    db,
    registry,
    log,
    resolveWorkflow: subflows.resolve,
    // Inline, this process executes runs; with BullMQ the workers do and their events come from the bus.
    onEvents: (tenantId, runId, batch, conversationId, committed, channel) =>
      publish({
        tenantId,
        runId,
        conversationId,
        channel,
        events: batch,
        ...(committed ? { run: committed() } : {}),
      }),
  });
  const notices = new EventEmitter().setMaxListeners(0);
  // Inline, the plan's concurrency cap per tenant is this process's to keep (queue mode: the workers' leases).
  const caps = createTenantRunCaps(db);
  const driver = options.driver ?? {
    kind: "inline",
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  };
  const host = createHostQueue(
    driver.kind === "inline" && !driver.tenantConcurrency
      ? { ...driver, tenantConcurrency: caps.capOf }
      : driver,
    engine,
    publish,
    (message) => notices.emit(message.tenantId, message.conversationId, message.notice),
    log,
  );
  const { queue } = host;
  const outbox = createOutboxDispatcher({
    db,
    queue,
    intervalMs: options.outboxIntervalMs ?? 1_000,
    minAgeMs: options.outboxMinAgeMs ?? 5_000,
    log,
  });
  const reconciler = createLeasedReconciler({ db, queue, log });
  const retention =
    options.retention === false ? undefined : createRunRetention({ db, log, ...options.retention });
  outbox.start();
  reconciler.start();
  retention?.start();
  const lanes = createConversationLanes();
  const greetings = createConversationGreetings(db, source);
  const rateLimiter = options.rateLimiter ?? createMessageRateLimiter();
  const meter = createRunMeter(db, options.runMeter);
  // The read itself is cached: the messages of a burst that find no plan share one read.
  const plans = new Map<string, { plan: Promise<string>; at: number }>();

  function planOf(tenantId: string): Promise<string> {
    const cached = plans.get(tenantId);
    if (cached && Date.now() - cached.at < PLAN_CACHE_TTL_MS) return cached.plan;
    const plan = db.transaction((sql) => tenantPlan(sql), { tenantId }).then((read) => read.plan);
    const entry = { plan, at: Date.now() };
    plans.set(tenantId, entry);
    // A failed read is not kept: the next message reads again.
    plan.catch(() => {
      if (plans.get(tenantId) === entry) plans.delete(tenantId);
    });
    return plan;
  }

  async function getRun(tenantId: string, runId: string): Promise<RunRecord> {
    const run = await store.getRun(tenantId, runId);
    if (!run) throw new ApiError("FD322", "No such run.");
    return run;
  }

  const settled = createSettledWaiter(events, getRun, {
    ...(host.eventsMayBeLost ? { pollMs: EVENT_LOSS_POLL_MS } : {}),
    ...(recent ? { recent: recent.get } : {}),
  });

  /** The engine's request for a start: the target's workflow loaded and the tenant's monthly runs admitted. */
  async function admitted(request: StartRunInput): Promise<StartRunRequest> {
    const { workflow, version } = await source.load(request.tenantId, request.target);
    if (request.checkInput) {
      const problems = runInputProblems(workflow, request.input);
      if (problems.length > 0)
        throw new ApiError("FD344", problems.map((problem) => problem.message).join(" "), {
          details: { problems },
        });
    }
    await meter.admit(request.tenantId);
    if (recent) await caps.prime(request.tenantId);
    return {
      tenantId: request.tenantId,
      workflow,
      workflowVersion: version,
      input: request.input,
      conversationId: request.conversationId ?? timeOrderedId(),
      channel: request.channel,
      // A conversation that starts here has no memory yet: the engine need not read it (one statement per run).
      ...(request.memory
        ? { memory: request.memory }
        : request.conversationId === undefined
          ? { memory: {} }
          : {}),
      ...(request.greeted ? { greeted: true } : {}),
      ...(request.opening ? { opening: request.opening } : {}),
      ...(request.claim ? { claim: request.claim } : {}),
      ...(request.messageClaim ? { messageClaim: request.messageClaim } : {}),
    };
  }

  async function start(request: StartRunInput): Promise<RunRecord> {
    const run = await engine.createRun(await admitted(request));
    recent?.remember(run);
    await queue.enqueueStart(request.tenantId, run.id);
    return run;
  }

  async function call(request: StartRunInput, timeoutMs: number): Promise<RunRecord> {
    const { runInSlot } = host;
    if (!recent || !runInSlot) return settled(request.tenantId, (await start(request)).id, timeoutMs);
    const startRequest = await admitted(request);
    const runId = timeOrderedId();
    // In a slot of the inline queue: its concurrency bounds these runs too, and the reconciler sees them live.
    const execution = runInSlot(request.tenantId, runId, () =>
      engine.startRun({ ...startRequest, runId, deferStore: true }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const done = await Promise.race([execution, timedOut]).finally(() => clearTimeout(timer));
    if (done) return done;
    // Still executing: answer the run as stored, once it is (an unstored run only has pure steps behind it, so
    // its first commit is near). Its end is no longer this call's business, but its failure is logged.
    execution.catch((error: unknown) =>
      log.error("run failed after its caller stopped waiting", {
        runId,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    const key = runEventKey(request.tenantId, runId);
    return new Promise<RunRecord>((resolve, reject) => {
      const onBatch = (batch: RunEventBatch) => {
        if (!batch.run) return;
        events.off(key, onBatch);
        resolve(batch.run);
      };
      events.on(key, onBatch);
      const stored = recent.get(request.tenantId, runId);
      if (stored) onBatch({ tenantId: request.tenantId, runId, conversationId: "", events: [], run: stored });
      execution.then(
        (run) => onBatch({ tenantId: request.tenantId, runId, conversationId: "", events: [], run }),
        (error: unknown) => {
          events.off(key, onBatch);
          reject(error);
        },
      );
    });
  }

  async function latestInConversation(
    tenantId: string,
    conversationId: string,
  ): Promise<RunRecord | undefined> {
    const knownId = recent?.latestIn(tenantId, conversationId);
    if (knownId) return recent?.get(tenantId, knownId) ?? store.getRun(tenantId, knownId);
    const id = (
      await db.statement<{ id: string }>(
        "SELECT id::text AS id FROM runs WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1",
        [conversationId],
        { tenantId },
      )
    ).rows[0]?.id;
    const run = id ? await store.getRun(tenantId, id) : undefined;
    if (run) recent?.remember(run);
    return run;
  }

  return {
    driver: options.driver?.kind ?? "inline",
    start,
    call,
    settled,
    ...(host.queueStats ? { queueStats: host.queueStats } : {}),
    whenReady: () => host.whenReady(),

    async message(request) {
      await rateLimiter.consume(request.tenantId, await planOf(request.tenantId));
      return lanes.enqueue(`${request.tenantId}:${request.conversationId}`, async () => {
        let latest = request.newConversation
          ? undefined
          : await latestInConversation(request.tenantId, request.conversationId);
        if (latest && !SETTLED_STATUSES.has(latest.status)) {
          latest = await settled(request.tenantId, latest.id, LANE_SETTLE_TIMEOUT_MS);
        }
        if (latest?.status === "handoff") {
          throw new ApiError("FD353", "A human agent has this conversation.");
        }
        if (latest?.status === "waiting") {
          const recorded = await queue.enqueueResume(
            request.tenantId,
            latest.id,
            { kind: "message", text: request.text },
            request.claim,
          );
          const answered = settled(request.tenantId, latest.id, LANE_SETTLE_TIMEOUT_MS, latest.stateVersion);
          return { result: { run: latest, fromSeq: recorded.seq }, done: answered };
        }
        // Greeted once per conversation: by an earlier run, or when the chat opened (its first run has no earlier).
        const opening =
          latest || request.newConversation
            ? undefined
            : await greetings.shown(request.tenantId, request.conversationId);
        const run = await start({
          tenantId: request.tenantId,
          target: request.target,
          input: { message: request.text },
          channel: request.channel,
          conversationId: request.conversationId,
          ...(latest || opening ? { greeted: true } : {}),
          ...(opening ? { opening: [opening] } : {}),
          // A conversation id made up for this message has no memory yet: one read less per new chat.
          ...(request.newConversation ? { memory: {} } : {}),
          ...(request.claim ? { messageClaim: request.claim } : {}),
        });
        return {
          result: { run, fromSeq: FIRST_SEQ },
          done: settled(request.tenantId, run.id, LANE_SETTLE_TIMEOUT_MS),
        };
      });
    },

    greet: (request) => greetings.open(request),

    async handback(tenantId, runId, reply) {
      const run = await getRun(tenantId, runId);
      if (run.status !== "handoff") {
        throw new ApiError("FD354", `The run is ${run.status}, not waiting for a human.`);
      }
      return lanes.enqueue(`${tenantId}:${run.conversationId}`, async () => {
        const recorded = await queue.enqueueResume(tenantId, runId, {
          kind: "handback",
          resolved: reply.resolved,
          ...(reply.agentReply ? { agentReply: reply.agentReply } : {}),
        });
        return {
          result: { run, fromSeq: recorded.seq },
          done: settled(tenantId, runId, LANE_SETTLE_TIMEOUT_MS, run.stateVersion),
        };
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

    notify(tenantId, conversationId, notice) {
      host.notify({ tenantId, conversationId, notice });
    },

    subscribeNotices(tenantId, listener) {
      notices.on(tenantId, listener);
      return () => notices.off(tenantId, listener);
    },

    async close() {
      await Promise.all([outbox.stop(), reconciler.stop(), retention?.stop()]);
      // Messages already accepted get their activation started; a lane waiting on an absent worker does not hold shutdown.
      await Promise.race([
        lanes.idle(),
        new Promise((resolve) => setTimeout(resolve, CLOSE_LANES_TIMEOUT_MS).unref()),
      ]);
      await queue.drain?.();
      await host.close();
      await meter.close();
      await tenantHttp?.close();
    },
  };
}
