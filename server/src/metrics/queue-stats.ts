import type { AppMetrics } from "./app-metrics";
import { withTimeout, type ReadinessCheck } from "./readiness";

/**
 * A snapshot of the run queue, supplied by the queue driver (BullMQ: runtime's `readQueueStats`, whose result
 * has this shape). Counts are jobs, not runs of a tenant: nothing here names a tenant.
 */
export interface QueueStats {
  /** Jobs ready to run, not yet picked up (queue depth). */
  readonly waiting: number;
  /** Jobs scheduled for later (retry backoff, delayed starts). */
  readonly delayed: number;
  /** Jobs a worker is executing now. */
  readonly active: number;
  /** Jobs in the failed set (kept for inspection). */
  readonly failed: number;
  /** Jobs the stalled-job checker moved back after their worker vanished, as the driver counts them. */
  readonly stalled: number;
  /** How long the oldest job not yet started has waited, in ms; 0 when none waits. */
  readonly oldestWaitMs: number;
  /** Workers connected to the queue; absent when the driver cannot tell (inline). */
  readonly workers?: number;
}

export type QueueStatsSource = () => Promise<QueueStats>;

/** How long a scrape waits for the queue's statistics before it reports `flowdeck_queue_stats_up 0`. */
export const DEFAULT_QUEUE_STATS_TIMEOUT_MS = 2_000;

const STATES = ["waiting", "delayed", "active", "failed", "stalled"] as const;

/**
 * Reads the queue once per scrape and sets the queue gauges. A failure or timeout keeps the scrape
 * answering (the HTTP and run metrics are still worth having) and shows up as `flowdeck_queue_stats_up 0`.
 */
export async function refreshQueueGauges(
  metrics: AppMetrics,
  source: QueueStatsSource,
  timeoutMs = DEFAULT_QUEUE_STATS_TIMEOUT_MS,
): Promise<boolean> {
  let stats: QueueStats;
  try {
    stats = await withTimeout(source(), timeoutMs);
  } catch {
    metrics.queueStatsUp.set(0);
    return false;
  }
  for (const state of STATES) metrics.queueJobs.set({ state }, stats[state]);
  metrics.queueOldestWaiting.set(Math.max(0, stats.oldestWaitMs) / 1000);
  if (stats.workers !== undefined) metrics.queueWorkers.set(stats.workers);
  metrics.queueStatsUp.set(1);
  return true;
}

/**
 * Readiness checks built on the same statistics: `queue` (the queue answers) and, when the driver reports
 * workers, `workers` (at least one is connected; an API whose runs would only pile up is not ready).
 */
export function queueReadinessChecks(
  source: QueueStatsSource,
  options: { readonly requireWorkers?: boolean } = {},
): ReadinessCheck[] {
  // Both checks start together in one /readyz: they share one read of the queue instead of two.
  let inflight: Promise<QueueStats> | undefined;
  const read = () => (inflight ??= source().finally(() => (inflight = undefined)));
  const checks: ReadinessCheck[] = [
    {
      name: "queue",
      hint: "Check that Redis (REDIS_URL) is reachable, then retry.",
      check: async () => void (await read()),
    },
  ];
  if (options.requireWorkers ?? true) {
    checks.push({
      name: "workers",
      hint: "Start at least one worker process (flowdeck worker), then retry.",
      check: async () => {
        const { workers } = await read();
        if (workers !== undefined && workers < 1) throw new Error("no worker is connected to the queue");
      },
    });
  }
  return checks;
}
