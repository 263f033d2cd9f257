import { describe, expect, it } from "vitest";
import type { RunEvent } from "@flowdeck/runtime";
import { createAppMetrics } from "../src/metrics/app-metrics";
import { maxTenantSeriesFromEnv } from "../src/metrics/metrics-env";
import { observeRunEvents } from "../src/metrics/run-metrics";

const AT = "2026-12-05T10:00:00.000Z";

function tenantId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** One committed batch as the engine emits it: a routed step, a paid agent step and the run's end. */
function batch(tenant: string): Parameters<typeof observeRunEvents>[1] {
  const events: RunEvent[] = [
    { seq: 1, type: "step.started", at: AT, data: { stepId: "s1", type: "router" } },
    {
      seq: 2,
      type: "step.completed",
      at: AT,
      data: { stepId: "s1", type: "router", details: { tier: "local", unsure: false, savedUsd: 0.0001 } },
    },
    {
      seq: 3,
      type: "step.completed",
      at: AT,
      data: {
        stepId: "s2",
        type: "agent",
        usage: { promptTokens: 30, completionTokens: 10, costUsd: 0.002 },
      },
    },
    { seq: 4, type: "run.completed", at: AT, data: {} },
  ] as unknown as RunEvent[];
  return { tenantId: tenant, runId: "r", conversationId: "c", events };
}

async function sample(metrics: ReturnType<typeof createAppMetrics>, name: string): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return text.split("\n").filter((line) => line.startsWith(`${name}{`));
}

describe("per-tenant and router metrics", () => {
  it("count tokens, cost and runs per tenant, past the cap as 'other'", async () => {
    const metrics = createAppMetrics({ defaultMetrics: false, maxTenantSeries: 2 });
    for (const n of [1, 2, 3, 4]) observeRunEvents(metrics, batch(tenantId(n)));
    const cost = await sample(metrics, "flowdeck_tenant_model_cost_usd_total");
    expect(cost).toEqual([
      `flowdeck_tenant_model_cost_usd_total{tenant="${tenantId(1)}",test="false"} 0.002`,
      `flowdeck_tenant_model_cost_usd_total{tenant="${tenantId(2)}",test="false"} 0.002`,
      'flowdeck_tenant_model_cost_usd_total{tenant="other",test="false"} 0.004',
    ]);
    expect(await sample(metrics, "flowdeck_tenant_model_tokens_total")).toContain(
      `flowdeck_tenant_model_tokens_total{tenant="${tenantId(1)}",kind="prompt",test="false"} 30`,
    );
    expect(await sample(metrics, "flowdeck_tenant_runs_finished_total")).toContain(
      'flowdeck_tenant_runs_finished_total{tenant="other",status="completed",test="false"} 2',
    );
    expect(await sample(metrics, "flowdeck_router_decisions_total")).toContain(
      'flowdeck_router_decisions_total{tier="local",unsure="false",test="false"} 4',
    );
    expect(
      (await metrics.registry.getSingleMetricAsString("flowdeck_router_saved_usd_total")).trim(),
    ).toMatch(/flowdeck_router_saved_usd_total\{test="false"\} 0\.0004/);
  });

  it("keeps tenant ids out of the metrics when the cap is 0, and refuses a cap that is not a number", async () => {
    const metrics = createAppMetrics({ defaultMetrics: false, maxTenantSeries: 0 });
    observeRunEvents(metrics, batch(tenantId(1)));
    expect(await metrics.registry.metrics()).not.toContain(tenantId(1));
    // Fixed label sets exist at zero before anything happens, so rate() and alerts see the first event.
    expect(await sample(metrics, "flowdeck_runs_suspended_total")).toEqual([
      'flowdeck_runs_suspended_total{status="waiting",test="false"} 0',
      'flowdeck_runs_suspended_total{status="handoff",test="false"} 0',
      'flowdeck_runs_suspended_total{status="waiting",test="true"} 0',
      'flowdeck_runs_suspended_total{status="handoff",test="true"} 0',
    ]);
    expect(maxTenantSeriesFromEnv({ FLOWDECK_METRICS_MAX_TENANTS: "0" })).toBe(0);
    expect(maxTenantSeriesFromEnv({})).toBeUndefined();
    expect(() => maxTenantSeriesFromEnv({ FLOWDECK_METRICS_MAX_TENANTS: "lots" })).toThrow(
      expect.objectContaining({ code: "FD398" }),
    );
  });
});
