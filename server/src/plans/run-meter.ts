import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import { runCounterName, tenantPlan } from "./plan-usage";

export interface RunMeter {
  /** Counts one run start against the tenant's month, or refuses with 402 FD350 when it is used up. */
  admit(tenantId: string): Promise<void>;
  /** Writes what is counted but not yet stored (shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface RunMeterOptions {
  /** How long the stored count and the plan are trusted before they are read again. Default 1,000 ms. */
  readonly refreshMs?: number;
  /** How often counted starts are added to the stored count, in one statement per tenant. Default 250 ms. */
  readonly flushIntervalMs?: number;
}

interface TenantMeter {
  stored: number;
  limit: number | null;
  readAt: number;
  pending: number;
  month: string;
}

/**
 * Runs per month, metered without a row lock per start. A counter row updated by every run start in its own
 * transaction serializes one tenant's starts behind each other's commits (about 100/s here). Instead each
 * process counts starts in memory, checks them against the last stored count plus its own pending ones, and
 * adds them to `tenant_counters` in one statement per tenant every `flushIntervalMs`. The price, stated: with
 * P API processes a tenant can pass its allowance by at most what P processes admit within `refreshMs`, and a
 * process that dies loses at most `flushIntervalMs` of counting. Both are small next to a monthly allowance.
 */
export function createRunMeter(db: Database, options: RunMeterOptions = {}): RunMeter {
  const refreshMs = options.refreshMs ?? 1_000;
  const tenants = new Map<string, TenantMeter>();
  // The read in flight per tenant: a burst of starts that finds the view stale waits for one read, not one each.
  const reads = new Map<string, Promise<TenantMeter>>();
  let flushing: Promise<void> = Promise.resolve();

  async function read(tenantId: string): Promise<TenantMeter> {
    const month = runCounterName();
    const { stored, limit } = await db.transaction(
      async (sql) => {
        const { limits } = await tenantPlan(sql);
        const { rows } = await sql.query<{ value: string }>(
          "SELECT value FROM tenant_counters WHERE name = $1",
          [month],
        );
        return { stored: Number(rows[0]?.value ?? 0), limit: limits.runsPerMonth };
      },
      { tenantId },
    );
    // Starts admitted while this read was out are in the current entry, not in one captured before it.
    // A new month starts from its own row; pending starts of the old month were flushed or belong to it.
    const current = tenants.get(tenantId);
    const pending = current && current.month === month ? current.pending : 0;
    const fresh = { stored, limit, readAt: Date.now(), pending, month };
    tenants.set(tenantId, fresh);
    return fresh;
  }

  async function flushAll(): Promise<void> {
    for (const [tenantId, meter] of tenants) {
      if (meter.pending === 0) continue;
      const count = meter.pending;
      meter.pending = 0;
      try {
        const value = await db.transaction(
          async (sql) =>
            (
              await sql.query<{ value: string }>(
                `INSERT INTO tenant_counters AS c (tenant_id, name, value) VALUES ($1, $2, $3)
                   ON CONFLICT (tenant_id, name) DO UPDATE SET value = c.value + $3 RETURNING value`,
                [tenantId, meter.month, count],
              )
            ).rows[0]!.value,
          { tenantId },
        );
        meter.stored = Number(value);
      } catch {
        // Counted again next time rather than lost; the database being away is reported by /readyz.
        meter.pending += count;
      }
    }
  }

  const flush = () => (flushing = flushing.then(flushAll));
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 250);
  timer.unref();

  return {
    async admit(tenantId) {
      let meter = tenants.get(tenantId);
      if (!meter || Date.now() - meter.readAt >= refreshMs || meter.month !== runCounterName()) {
        // In line with the flushes: a read during a flush would see neither the stored count (not committed
        // yet) nor the pending one (already handed to the flush) and let a start past the allowance. One read
        // per tenant at a time: each queued behind the flushes and the reads before it, a thousand new chats
        // at once waited seconds for their thousand reads (bench/CONTEXT.md, the chat burst's first messages).
        let reading = reads.get(tenantId);
        if (!reading) {
          const started = flushing.then(() => read(tenantId));
          reading = started;
          reads.set(tenantId, started);
          flushing = started.then(
            () => undefined,
            () => undefined,
          );
          void flushing.then(() => {
            if (reads.get(tenantId) === started) reads.delete(tenantId);
          });
        }
        meter = await reading;
      }
      if (meter.limit !== null && meter.stored + meter.pending >= meter.limit) {
        throw new ApiError("FD350", `This plan allows ${meter.limit} runs per month and they are used up.`, {
          details: { limit: "runsPerMonth", allowed: meter.limit },
        });
      }
      meter.pending += 1;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
