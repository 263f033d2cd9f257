import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Request } from "express";
import { createApp, type CreateAppOptions } from "../src/app/create-app";
import { silentServerLogger } from "../src/kit/logger";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { createDatabaseEngine, createWorkflowLibrary, resolveFrom } from "@flowdeck/runtime";
import { assertMetricsAccess } from "../src/metrics/metrics-access";
import { createAppMetrics, getAppMetrics, type AppMetrics } from "../src/metrics/app-metrics";
import { observeRunEvents } from "../src/metrics/run-metrics";
import type { QueueStats } from "../src/metrics/queue-stats";
import type { RunEventBatch } from "../src/runs/run-host";
import { createTestDatabase } from "../../runtime/test/support/test-database";
import { testkitExecutors, testkitPlugin } from "../../runtime/test/support/testkit-nodes";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

const ID = "3f0c6a52-9d1b-4e55-8f63-2a7d3c1b9e40";
const TENANT = "9b1e8c1a-1111-4c2d-9e3f-000000000001";

/** The value of one series in Prometheus text, e.g. sample(text, "x_total", { a: "b" }); undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(metrics: AppMetrics): Promise<string> {
  return metrics.registry.metrics();
}

/** Another app on the test server's database, with createApp options the shared test server does not take. */
async function startApp(server: TestServer, options: Partial<CreateAppOptions>) {
  const app = createApp({
    db: server.testDb.db,
    config: server.config,
    log: silentServerLogger,
    runs: server.runs,
    ...options,
  });
  const listening = app.listen(0, "127.0.0.1");
  await once(listening, "listening");
  const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  return {
    app,
    async get(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${base}${path}`, { headers });
      const text = await res.text();
      return { status: res.status, text, body: text.startsWith("{") ? JSON.parse(text) : undefined };
    },
    close: () => new Promise<void>((resolve) => listening.close(() => resolve())),
  };
}

describe("GET /metrics", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer("pglite");
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("serves Prometheus text with process metrics and HTTP series labelled by route pattern", async () => {
    expect((await server.request("GET", `/workflows/${ID}`)).status).toBe(401);
    expect((await server.request("GET", `/workflows/${ID}`)).status).toBe(401);
    expect((await server.request("GET", `/no-such-route/${ID}`)).status).toBe(404);
    expect((await server.request("GET", "/healthz")).status).toBe(200);

    const res = await server.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(res.text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    const pattern = { method: "GET", route: "/workflows/:id", status: "401" };
    expect(sample(res.text, "flowdeck_http_requests_total", pattern)).toBe(2);
    expect(sample(res.text, "flowdeck_http_request_duration_seconds_count", pattern)).toBe(2);
    expect(sample(res.text, "flowdeck_http_requests_total", { route: "none", status: "404" })).toBe(1);
    expect(sample(res.text, "flowdeck_http_requests_total", { route: "/healthz", status: "200" })).toBe(1);
    // Ids and raw paths never become label values: one series per pattern, whatever was requested.
    expect(res.text).not.toContain(ID);
    expect(res.text).not.toContain("no-such-route");
  });

  it("counts the runs the API starts, from the run host's event batches", async () => {
    const owner = (await registerAccount(server)).body;
    const token: string = owner.accessToken;
    const yaml = [
      "name: metrics_hello",
      "nodes:",
      "  - { name: start, type: start }",
      '  - { name: answer, type: reply, config: { text: "Hello" } }',
      "  - { name: finish, type: end }",
      "edges:",
      "  - { from: start, to: answer }",
      "  - { from: answer, to: finish }",
      "",
    ].join("\n");
    const created = await server.request("POST", "/workflows", { token, body: { yaml } });
    expect(created.status).toBe(201);
    const published = await server.request("POST", `/workflows/${created.body.id}/publish`, {
      token,
      body: {},
    });
    expect(published.status).toBe(201);
    const started = await server.request("POST", "/runs", {
      token,
      body: { workflow: "metrics_hello", input: { message: "hi" } },
    });
    expect(started.status).toBe(202);
    const run = await server.runs.settled(owner.tenant.id, started.body.id, 15_000);
    expect(run.status).toBe("completed");

    const text = (await server.request("GET", "/metrics")).text;
    expect(sample(text, "flowdeck_runs_started_total", { test: "false" })).toBe(1);
    expect(sample(text, "flowdeck_runs_finished_total", { status: "completed", test: "false" })).toBe(1);
    expect(
      sample(text, "flowdeck_steps_total", { node_type: "reply", outcome: "completed", test: "false" }),
    ).toBe(1);
    expect(
      sample(text, "flowdeck_http_requests_total", { route: "/workflows/:id/publish", status: "201" }),
    ).toBe(1);
    // A tenant's id labels only the per-tenant usage series (capped by FLOWDECK_METRICS_MAX_TENANTS).
    const naming = text.split("\n").filter((line) => line.includes(owner.tenant.id));
    expect(naming.length).toBeGreaterThan(0);
    expect(naming.filter((line) => !line.startsWith("flowdeck_tenant_"))).toEqual([]);
  }, 60_000);

  it("keeps each app's metrics in its own registry", async () => {
    const other = await startApp(server, {});
    const healthz = async (app: { locals: Record<string, unknown> }) =>
      sample(await scrape(getAppMetrics(app)), "flowdeck_http_requests_total", { route: "/healthz" });
    try {
      const mineBefore = await healthz(server.app);
      for (let i = 0; i < 3; i += 1) await other.get("/healthz");
      expect(getAppMetrics(other.app).registry).not.toBe(getAppMetrics(server.app).registry);
      expect(await healthz(other.app)).toBe(3);
      expect(await healthz(server.app)).toBe(mineBefore);
    } finally {
      await other.close();
    }
  });

  it("refuses requests that came through a proxy when no token is set, even from loopback", async () => {
    const res = await server.request("GET", "/metrics", { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "FD310" });
    expect(res.body.error.hint).toMatch(/FLOWDECK_METRICS_TOKEN/);
    expect(res.text).not.toContain("flowdeck_http_requests_total");
  });

  it("answers only the right bearer token when FLOWDECK_METRICS_TOKEN is set", async () => {
    const guarded = await startApp(server, { metrics: { token: "scrape-token-123" } });
    try {
      const anonymous = await guarded.get("/metrics");
      const wrong = await guarded.get("/metrics", { authorization: "Bearer scrape-token-124" });
      const userLike = await guarded.get("/metrics", { authorization: "Basic c2NyYXBlLXRva2VuLTEyMw==" });
      const right = await guarded.get("/metrics", { authorization: "Bearer scrape-token-123" });
      expect([anonymous.status, wrong.status, userLike.status, right.status]).toEqual([401, 401, 401, 200]);
      expect(anonymous.body.error.code).toBe("FD310");
      expect(right.text).toContain("flowdeck_http_requests_total");
    } finally {
      await guarded.close();
    }
  });

  it("decides access by the socket address, never by headers a client can set", () => {
    const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
      ({ socket: { remoteAddress }, headers }) as unknown as Request;
    for (const local of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.0.1.1"]) {
      expect(() => assertMetricsAccess(request(local), undefined)).not.toThrow();
    }
    for (const remote of ["10.0.0.5", "192.168.1.20", "::ffff:10.1.2.3", "2001:db8::1", ""]) {
      expect(() => assertMetricsAccess(request(remote), undefined)).toThrow(/only local callers/);
    }
    expect(() =>
      assertMetricsAccess(request("127.0.0.1", { forwarded: "for=1.2.3.4" }), undefined),
    ).toThrow();
    // With a token, loopback is no longer enough.
    expect(() => assertMetricsAccess(request("127.0.0.1"), "t0ken")).toThrow(/metrics token/);
    expect(() =>
      assertMetricsAccess(request("10.0.0.5", { authorization: "Bearer t0ken" }), "t0ken"),
    ).not.toThrow();
  });

  it("reports queue gauges from the queueStats option, and a failing source as stats_up 0", async () => {
    let stats: QueueStats | Error = {
      waiting: 7,
      delayed: 2,
      active: 3,
      failed: 1,
      stalled: 4,
      oldestWaitMs: 1500,
      workers: 2,
    };
    const queued = await startApp(server, {
      metrics: {
        queueStats: async () => {
          if (stats instanceof Error) throw stats;
          return stats;
        },
        queueStatsTimeoutMs: 200,
      },
    });
    try {
      const first = (await queued.get("/metrics")).text;
      expect(sample(first, "flowdeck_queue_jobs", { state: "waiting" })).toBe(7);
      expect(sample(first, "flowdeck_queue_jobs", { state: "delayed" })).toBe(2);
      expect(sample(first, "flowdeck_queue_jobs", { state: "active" })).toBe(3);
      expect(sample(first, "flowdeck_queue_jobs", { state: "failed" })).toBe(1);
      expect(sample(first, "flowdeck_queue_jobs", { state: "stalled" })).toBe(4);
      expect(sample(first, "flowdeck_queue_oldest_waiting_seconds")).toBe(1.5);
      expect(sample(first, "flowdeck_queue_workers")).toBe(2);
      expect(sample(first, "flowdeck_queue_stats_up")).toBe(1);

      stats = new Error("redis down");
      const down = await queued.get("/metrics");
      expect(down.status).toBe(200);
      expect(sample(down.text, "flowdeck_queue_stats_up")).toBe(0);
      expect(down.text).not.toContain("redis down");
    } finally {
      await queued.close();
    }
  });
});

const FLAKY = `name: flaky_then_reply
nodes:
  - { name: start, type: start }
  - { name: wobble, type: testkit.flaky, config: { failures: 1 }, retry: { attempts: 2, backoff_ms: 1 } }
  - { name: answer, type: reply, config: { text: "done" } }
  - { name: finish, type: end }
edges:
  - { from: start, to: wobble }
  - { from: wobble, to: answer }
  - { from: answer, to: finish }
`;

const BROKEN = `name: always_fails
nodes:
  - { name: start, type: start }
  - { name: wobble, type: testkit.flaky, config: { failures: 5 } }
  - { name: finish, type: end }
edges:
  - { from: start, to: wobble }
  - { from: wobble, to: finish }
`;

const ASKING = `name: asks_once
nodes:
  - { name: start, type: start }
  - { name: question, type: ask, config: { prompt: "Your order number?", variable: order_id } }
  - { name: answer, type: reply, config: { text: "Thanks" } }
  - { name: finish, type: end }
edges:
  - { from: start, to: question }
  - { from: question, to: answer }
  - { from: answer, to: finish }
`;

describe("observeRunEvents", () => {
  it("counts runs, steps, retries and suspensions from the events a real engine commits", async () => {
    const database = await createTestDatabase("pglite");
    const metrics = createAppMetrics({ defaultMetrics: false });
    const batches: RunEventBatch[] = [];
    try {
      const tenantId = await database.createTenant("Metrics");
      const registry = createBuiltinRegistry().use(testkitPlugin);
      const library = createWorkflowLibrary(registry.catalog());
      for (const text of [FLAKY, BROKEN, ASKING]) library.add(text);
      const { engine } = createDatabaseEngine({
        db: database.db,
        registry,
        executors: testkitExecutors().executors,
        resolveWorkflow: resolveFrom((name) => library.get(name)),
        sleep: () => Promise.resolve(),
        onEvents: (tenant, runId, events, conversationId) => {
          const batch = { tenantId: tenant, runId, conversationId, events };
          batches.push(batch);
          observeRunEvents(metrics, batch);
        },
      });
      const start = (name: string) =>
        engine.startRun({ tenantId, workflow: library.get(name)!, input: { message: "hi" } });
      expect((await start("flaky_then_reply")).status).toBe("completed");
      expect((await start("always_fails")).status).toBe("failed");
      const waiting = await start("asks_once");
      expect(waiting.status).toBe("waiting");
      const resumed = await engine.resumeRun(tenantId, waiting.id, { kind: "message", text: "AO-1" });
      expect(resumed.status).toBe("completed");
      expect(batches.length).toBeGreaterThan(3);

      const text = await scrape(metrics);
      expect(sample(text, "flowdeck_runs_started_total", { test: "false" })).toBe(3);
      expect(sample(text, "flowdeck_runs_resumed_total", { test: "false" })).toBe(1);
      expect(sample(text, "flowdeck_runs_finished_total", { status: "completed", test: "false" })).toBe(2);
      expect(sample(text, "flowdeck_runs_finished_total", { status: "failed", test: "false" })).toBe(1);
      expect(sample(text, "flowdeck_runs_suspended_total", { status: "waiting", test: "false" })).toBe(1);
      const steps = (labels: Record<string, string>) =>
        sample(text, "flowdeck_steps_total", { ...labels, test: "false" });
      expect(steps({ node_type: "testkit.flaky", outcome: "completed" })).toBe(1);
      expect(steps({ node_type: "testkit.flaky", outcome: "failed" })).toBe(1);
      expect(steps({ node_type: "ask", outcome: "waiting" })).toBe(1);
      expect(steps({ node_type: "ask", outcome: "completed" })).toBe(1);
      expect(steps({ node_type: "reply", outcome: "completed" })).toBe(2);
      expect(steps({ node_type: "start", outcome: "completed" })).toBe(3);
      expect(sample(text, "flowdeck_step_retries_total", { node_type: "testkit.flaky", test: "false" })).toBe(
        1,
      );
      expect(
        sample(text, "flowdeck_step_duration_seconds_count", {
          node_type: "reply",
          outcome: "completed",
          test: "false",
        }),
      ).toBe(2);
      // No label names a run; a tenant only in the per-tenant usage series.
      expect(
        text.split("\n").filter((line) => line.includes(tenantId) && !line.startsWith("flowdeck_tenant_")),
      ).toEqual([]);
      expect(text).not.toContain(waiting.id);
    } finally {
      await database.close();
    }
  }, 60_000);

  it("adds model tokens and cost from step.completed usage, and bounds odd labels", async () => {
    const metrics = createAppMetrics({ defaultMetrics: false });
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 26, 0, 0, 0, ms)).toISOString();
    observeRunEvents(metrics, {
      tenantId: TENANT,
      runId: ID,
      conversationId: ID,
      events: [
        { type: "step.started", data: { stepId: "main/reply#1", node: "reply", type: "agent" }, at: at(0) },
        {
          type: "step.completed",
          data: {
            stepId: "main/reply#1",
            node: "reply",
            type: "agent",
            usage: { promptTokens: 120, completionTokens: 30, costUsd: 0.0004 },
          },
          at: at(250),
        },
        { type: "step.started", data: { stepId: "main/x#1", type: "Robert'); DROP" }, at: at(300) },
        { type: "step.completed", data: { stepId: "main/x#1", usage: "lots" }, at: at(301) },
        { type: "step.failed", data: { stepId: "never-started" }, at: at(302) },
        { type: "run.completed", data: null as unknown as Record<string, unknown>, at: at(303) },
      ],
    });
    const text = await scrape(metrics);
    expect(
      sample(text, "flowdeck_model_tokens_total", { node_type: "agent", kind: "prompt", test: "false" }),
    ).toBe(120);
    expect(
      sample(text, "flowdeck_model_tokens_total", { node_type: "agent", kind: "completion", test: "false" }),
    ).toBe(30);
    expect(sample(text, "flowdeck_model_cost_usd_total", { node_type: "agent", test: "false" })).toBeCloseTo(
      0.0004,
      10,
    );
    expect(
      sample(text, "flowdeck_step_duration_seconds_sum", { node_type: "agent", test: "false" }),
    ).toBeCloseTo(0.25, 6);
    expect(
      sample(text, "flowdeck_steps_total", { node_type: "other", outcome: "completed", test: "false" }),
    ).toBe(1);
    expect(
      sample(text, "flowdeck_steps_total", { node_type: "unknown", outcome: "failed", test: "false" }),
    ).toBe(1);
    expect(sample(text, "flowdeck_runs_finished_total", { status: "completed", test: "false" })).toBe(1);
    expect(text).not.toContain("DROP");
  });
});
