import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { boundedLabels, type BoundedLabels } from "./bounded-labels";

/**
 * Every Prometheus metric of one app instance, in a Registry of its own (never prom-client's global default):
 * two apps in one process (tests, the demo next to a real server) do not collide or share counts.
 *
 * Labels are bounded on purpose: route *patterns* (never raw URLs), node types, statuses. Only the per-tenant
 * usage counters (`flowdeck_tenant_*`) carry a tenant label — the tenant's id, never its name — and only for the
 * first `maxTenantSeries` tenants an instance sees (the rest count as "other"; 0 turns them off): an operator
 * bills and watches model spend per tenant, but series must not grow with every sign-up.
 */
export interface AppMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpDuration: Histogram<"method" | "route" | "status">;
  // Every metric fed by run events has `test`: "true" for the editor's test runs (channel `test`), "false" for
  // everything else (customers' chats, webhooks, the API). See run-metrics.ts.
  readonly runsStarted: Counter<"test">;
  readonly runsResumed: Counter<"test">;
  readonly runsFinished: Counter<"status" | "test">;
  readonly runsSuspended: Counter<"status" | "test">;
  readonly steps: Counter<"node_type" | "outcome" | "test">;
  readonly stepRetries: Counter<"node_type" | "test">;
  readonly stepDuration: Histogram<"node_type" | "outcome" | "test">;
  readonly modelTokens: Counter<"node_type" | "kind" | "test">;
  readonly modelCost: Counter<"node_type" | "test">;
  readonly queueJobs: Gauge<"state">;
  readonly queueOldestWaiting: Gauge<never>;
  readonly queueWorkers: Gauge<never>;
  readonly queueStatsUp: Gauge<never>;
  /** Customer messages answered with the fallback text instead of our refusal, by the refusal's code. */
  readonly chatFallbacks: Counter<"code">;
  /** Router decisions by the tier that decided (local, embeddings, llm) and whether it was unsure. */
  readonly routerDecisions: Counter<"tier" | "unsure" | "test">;
  /** Model spend the local router avoided, at the configured prices. */
  readonly routerSavedCost: Counter<"test">;
  readonly tenantRunsFinished: Counter<"tenant" | "status" | "test">;
  readonly tenantModelTokens: Counter<"tenant" | "kind" | "test">;
  readonly tenantModelCost: Counter<"tenant" | "test">;
  readonly chatSockets: Gauge<never>;
  /** Chat frames over the WebSocket channel: "in" from clients, "out" to them. */
  readonly chatFrames: Counter<"direction">;
  /** Admits data-derived label values (node types, tenant ids) up to their caps. */
  readonly labels: BoundedLabels;
}

export interface AppMetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop lag, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
  /** Tenants with series of their own (`flowdeck_tenant_*`); later ones count as "other". 0 = none. Default 1000. */
  readonly maxTenantSeries?: number;
}

const DEFAULT_MAX_TENANT_SERIES = 1000;

/** The values of the `test` label: an editor test run, or not. */
export const TEST_LABELS = ["false", "true"] as const;

// Seconds. HTTP answers are mostly a few ms; publish/replay may take a second or more.
const HTTP_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Steps range from pure (µs) to model calls (tens of seconds).
const STEP_BUCKETS_SECONDS = [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createAppMetrics(options: AppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const metrics = buildMetrics(registry, options);
  // Labels from a fixed set start at zero: a series that appears only at its first event makes `rate()` miss
  // that event and leaves an alert on it without data until then.
  for (const test of TEST_LABELS) {
    metrics.runsStarted.inc({ test }, 0);
    metrics.runsResumed.inc({ test }, 0);
    for (const status of ["completed", "failed", "cancelled"]) metrics.runsFinished.inc({ status, test }, 0);
    for (const status of ["waiting", "handoff"]) metrics.runsSuspended.inc({ status, test }, 0);
    for (const tier of ["local", "embeddings", "llm"]) {
      for (const unsure of ["true", "false"]) metrics.routerDecisions.inc({ tier, unsure, test }, 0);
    }
  }
  for (const direction of ["in", "out"]) metrics.chatFrames.inc({ direction }, 0);
  return metrics;
}

function buildMetrics(registry: Registry, options: AppMetricsOptions): AppMetrics {
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: "flowdeck_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "flowdeck_http_request_duration_seconds",
      help: "Time from request to finished answer, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: HTTP_BUCKETS_SECONDS,
      registers,
    }),
    runsStarted: new Counter({
      name: "flowdeck_runs_started_total",
      help: 'Runs that began executing (run.started); test="true" for the editor\'s test runs.',
      labelNames: ["test"],
      registers,
    }),
    runsResumed: new Counter({
      name: "flowdeck_runs_resumed_total",
      help: "Activations that continued a waiting run (run.resumed: a customer's answer, a hand-back).",
      labelNames: ["test"],
      registers,
    }),
    runsFinished: new Counter({
      name: "flowdeck_runs_finished_total",
      help: "Runs that reached a terminal status: completed, failed or cancelled.",
      labelNames: ["status", "test"],
      registers,
    }),
    runsSuspended: new Counter({
      name: "flowdeck_runs_suspended_total",
      help: "Activations that ended waiting for the customer (waiting) or a human (handoff).",
      labelNames: ["status", "test"],
      registers,
    }),
    steps: new Counter({
      name: "flowdeck_steps_total",
      help: "Steps by node type and outcome: completed, failed, waiting.",
      labelNames: ["node_type", "outcome", "test"],
      registers,
    }),
    stepRetries: new Counter({
      name: "flowdeck_step_retries_total",
      help: "Retried step attempts by node type.",
      labelNames: ["node_type", "test"],
      registers,
    }),
    stepDuration: new Histogram({
      name: "flowdeck_step_duration_seconds",
      help: "Step time from step.started to its outcome, by node type and outcome.",
      labelNames: ["node_type", "outcome", "test"],
      buckets: STEP_BUCKETS_SECONDS,
      registers,
    }),
    modelTokens: new Counter({
      name: "flowdeck_model_tokens_total",
      help: "Model tokens used by steps, by node type and kind (prompt, completion).",
      labelNames: ["node_type", "kind", "test"],
      registers,
    }),
    modelCost: new Counter({
      name: "flowdeck_model_cost_usd_total",
      help: "Model cost in US dollars from the price table, by node type (0 for the offline provider).",
      labelNames: ["node_type", "test"],
      registers,
    }),
    queueJobs: new Gauge({
      name: "flowdeck_queue_jobs",
      help: "Run jobs in the queue by state: waiting, delayed, active, failed, stalled.",
      labelNames: ["state"],
      registers,
    }),
    queueOldestWaiting: new Gauge({
      name: "flowdeck_queue_oldest_waiting_seconds",
      help: "How long the oldest waiting job has waited (0 when none waits).",
      registers,
    }),
    queueWorkers: new Gauge({
      name: "flowdeck_queue_workers",
      help: "Workers connected to the queue, when the driver can tell.",
      registers,
    }),
    queueStatsUp: new Gauge({
      name: "flowdeck_queue_stats_up",
      help: "1 when the last scrape read the queue's statistics, 0 when that failed or timed out.",
      registers,
    }),
    chatFallbacks: new Counter({
      name: "flowdeck_chat_fallbacks_total",
      help: "Customer messages answered with the fallback text instead of a refusal of ours, by its code (FD350 …).",
      labelNames: ["code"],
      registers,
    }),
    routerDecisions: new Counter({
      name: "flowdeck_router_decisions_total",
      help: "Router decisions by the tier that decided (local, embeddings, llm) and unsure (true, false).",
      labelNames: ["tier", "unsure", "test"],
      registers,
    }),
    routerSavedCost: new Counter({
      name: "flowdeck_router_saved_usd_total",
      help: "Model cost in US dollars the local router avoided, at the configured prices.",
      labelNames: ["test"],
      registers,
    }),
    tenantRunsFinished: new Counter({
      name: "flowdeck_tenant_runs_finished_total",
      help: "Runs that ended, by tenant id and status (completed, failed, cancelled).",
      labelNames: ["tenant", "status", "test"],
      registers,
    }),
    tenantModelTokens: new Counter({
      name: "flowdeck_tenant_model_tokens_total",
      help: "Model tokens used, by tenant id and kind (prompt, completion).",
      labelNames: ["tenant", "kind", "test"],
      registers,
    }),
    tenantModelCost: new Counter({
      name: "flowdeck_tenant_model_cost_usd_total",
      help: "Model cost in US dollars from the price table, by tenant id.",
      labelNames: ["tenant", "test"],
      registers,
    }),
    chatSockets: new Gauge({
      name: "flowdeck_chat_sockets",
      help: "Open chat WebSocket connections (customers and staff).",
      registers,
    }),
    chatFrames: new Counter({
      name: "flowdeck_chat_frames_total",
      help: "Chat frames over the WebSocket channel, by direction (in from clients, out to them).",
      labelNames: ["direction"],
      registers,
    }),
    labels: boundedLabels(options.maxTenantSeries ?? DEFAULT_MAX_TENANT_SERIES),
  };
}

const APP_METRICS_KEY = "flowdeckMetrics";

/** createApp keeps its metrics in app.locals, so tests and the run-host wiring find the same instance. */
export function storeAppMetrics(locals: Record<string, unknown>, metrics: AppMetrics): void {
  locals[APP_METRICS_KEY] = metrics;
}

export function getAppMetrics(app: { locals: Record<string, unknown> }): AppMetrics {
  const metrics = app.locals[APP_METRICS_KEY] as AppMetrics | undefined;
  if (!metrics) throw new Error("This app was not built by createApp.");
  return metrics;
}
