import type { RouteDefinition } from "../kit/route-table";
import type { AppMetrics } from "./app-metrics";
import { assertMetricsAccess } from "./metrics-access";
import { refreshQueueGauges, type QueueStatsSource } from "./queue-stats";

/** createApp's `metrics` option. */
export interface MetricsOptions {
  /**
   * The registry to serve. Pass the one you also give to `observeRunEvents` (startServer creates it);
   * createApp makes a fresh one when absent.
   */
  readonly appMetrics?: AppMetrics;
  /** `FLOWDECK_METRICS_TOKEN`: required as a bearer token when set; else /metrics answers loopback only. */
  readonly token?: string;
  /** The queue's statistics, read once per scrape (BullMQ driver). No queue gauges without it. */
  readonly queueStats?: QueueStatsSource;
  /** Default 2 000 ms. */
  readonly queueStatsTimeoutMs?: number;
  /** Tenants with `flowdeck_tenant_*` series of their own when createApp makes the registry (FLOWDECK_METRICS_MAX_TENANTS). */
  readonly maxTenantSeries?: number;
}

/**
 * `GET /metrics` in the Prometheus text format. A `public` row of the route table because scrapers do not
 * hold user tokens; the access rule (metrics-access.ts) runs inside the handler, before anything is read.
 */
export function metricsRoutes(
  metrics: AppMetrics,
  options: Omit<MetricsOptions, "appMetrics"> = {},
): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/metrics",
      summary:
        "Prometheus metrics (HTTP, runs, steps, tokens, queue). Bearer FLOWDECK_METRICS_TOKEN, or loopback when unset.",
      auth: "public",
      status: 200,
      handler: async (req, res) => {
        assertMetricsAccess(req, options.token);
        if (options.queueStats) {
          await refreshQueueGauges(metrics, options.queueStats, options.queueStatsTimeoutMs);
        }
        const text = await metrics.registry.metrics();
        res.setHeader("Cache-Control", "no-store");
        res.type(metrics.registry.contentType).send(text);
      },
    },
  ];
}
