import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine";
import type { RunRecord } from "../../src/engine/run-types";
import { createInlineQueue } from "../../src/queue/inline-queue";

// tenantConcurrency: the inline queue keeps a tenant's plan cap (server/src/plans/tenant-run-caps.ts supplies
// it), and a capped tenant's waiting jobs do not hold back other tenants' jobs behind them.
describe("inline queue per-tenant cap", () => {
  it("runs at most the tenant's cap at once, lets other tenants pass, and drains everything", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const started: string[] = [];
    const engine = {
      continueRun: async (tenantId: string, runId: string) => {
        started.push(runId);
        running.set(tenantId, (running.get(tenantId) ?? 0) + 1);
        most.set(tenantId, Math.max(most.get(tenantId) ?? 0, running.get(tenantId)!));
        await released;
        running.set(tenantId, running.get(tenantId)! - 1);
        return { id: runId, tenantId, status: "completed", state: { frames: [] } } as unknown as RunRecord;
      },
      handBack: async () => 0,
    } as unknown as Engine;
    const caps: Record<string, number> = { free: 2, pro: 10, broken: 0 };
    const queue = createInlineQueue({ engine, concurrency: 8, tenantConcurrency: (tenant) => caps[tenant]! });
    await queue.enqueueMany([
      ...Array.from({ length: 6 }, (_, i) => ({ tenantId: "free", runId: `free-${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ tenantId: "pro", runId: `pro-${i}` })),
      ...Array.from({ length: 2 }, (_, i) => ({ tenantId: "broken", runId: `broken-${i}` })),
    ]);
    // In line order, skipping a capped tenant: two of free, then pro's three, then one of broken (a cap below 1
    // counts as 1).
    expect(started).toEqual(["free-0", "free-1", "pro-0", "pro-1", "pro-2", "broken-0"]);
    release();
    await queue.drain();
    expect(started).toHaveLength(11);
    expect(Object.fromEntries(most)).toEqual({ free: 2, pro: 3, broken: 1 });
    await queue.close();
  });
});
