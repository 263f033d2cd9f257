import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Every Prometheus metric of one app instance, in a Registry of its own (never prom-client's global default):
 * two apps in one process (tests, the demo next to a real server) do not collide or share counts.
 *
 * Labels are bounded on purpose: route *patterns* (never raw URLs), node types, statuses. There is no tenant
 * label: tenant ids would grow without bound and tell a scraper who the customers are.
 */
export interface AppMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpDuration: Histogram<"method" | "route" | "status">;
  readonly runsStarted: Counter<never>;
  readonly runsResumed: Counter<never>;
  readonly runsFinished: Counter<"status">;
  readonly runsSuspended: Counter<"status">;
  readonly steps: Counter<"node_type" | "outcome">;
  readonly stepRetries: Counter<"node_type">;
  readonly stepDuration: Histogram<"node_type" | "outcome">;
  readonly modelTokens: Counter<"node_type" | "kind">;
  readonly modelCost: Counter<"node_type">;
  readonly queueJobs: Gauge<"state">;
  readonly queueOldestWaiting: Gauge<never>;
  readonly queueWorkers: Gauge<never>;
  readonly queueStatsUp: Gauge<never>;
  /** Customer messages answered with the fallback text instead of our refusal, by the refusal's code. */
  readonly chatFallbacks: Counter<"code">;
}

export interface AppMetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop lag, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
}

// Seconds. HTTP answers are mostly a few ms; publish/replay may take a second or more.
const HTTP_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Steps range from pure (µs) to model calls (tens of seconds).
const STEP_BUCKETS_SECONDS = [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createAppMetrics(options: AppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
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
      help: "Runs that began executing (run.started).",
      registers,
    }),
    runsResumed: new Counter({
      name: "flowdeck_runs_resumed_total",
      help: "Activations that continued a waiting run (run.resumed: a customer's answer, a hand-back).",
      registers,
    }),
    runsFinished: new Counter({
      name: "flowdeck_runs_finished_total",
      help: "Runs that reached a terminal status: completed, failed or cancelled.",
      labelNames: ["status"],
      registers,
    }),
    runsSuspended: new Counter({
      name: "flowdeck_runs_suspended_total",
      help: "Activations that ended waiting for the customer (waiting) or a human (handoff).",
      labelNames: ["status"],
      registers,
    }),
    steps: new Counter({
      name: "flowdeck_steps_total",
      help: "Steps by node type and outcome: completed, failed, waiting.",
      labelNames: ["node_type", "outcome"],
      registers,
    }),
    stepRetries: new Counter({
      name: "flowdeck_step_retries_total",
      help: "Retried step attempts by node type.",
      labelNames: ["node_type"],
      registers,
    }),
    stepDuration: new Histogram({
      name: "flowdeck_step_duration_seconds",
      help: "Step time from step.started to its outcome, by node type and outcome.",
      labelNames: ["node_type", "outcome"],
      buckets: STEP_BUCKETS_SECONDS,
      registers,
    }),
    modelTokens: new Counter({
      name: "flowdeck_model_tokens_total",
      help: "Model tokens used by steps, by node type and kind (prompt, completion).",
      labelNames: ["node_type", "kind"],
      registers,
    }),
    modelCost: new Counter({
      name: "flowdeck_model_cost_usd_total",
      help: "Model cost in US dollars from the price table, by node type (0 for the offline provider).",
      labelNames: ["node_type"],
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
