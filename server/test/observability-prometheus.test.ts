/**
 * The alert rules and dashboards in deploy/observability against a real Prometheus (Debian's package, which
 * .ci/run installs) scraping a running Flowdeck on loopback: promtool accepts the rules, every metric they and
 * the dashboard use is one Flowdeck exposes, the metrics a run moves have series, and two alerts fire.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../runtime/test/support/fake-openai-server";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import { startServer, type RunningServer } from "../src/app/start-server";
import type { JsonBody } from "./support/test-server";

const PROMETHEUS = process.env.FLOWDECK_PROMETHEUS ?? "/usr/bin/prometheus";
const PROMTOOL = process.env.FLOWDECK_PROMTOOL ?? "/usr/bin/promtool";
const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OBSERVABILITY = fileURLToPath(new URL("../../deploy/observability/", import.meta.url));
const ALERTS = join(OBSERVABILITY, "alerts.yml");
const DASHBOARD = join(OBSERVABILITY, "grafana/dashboards/flowdeck-overview.json");
const ADAPTER = join(OBSERVABILITY, "prometheus-adapter.yaml");

const SHOP_ORIGIN = "http://shop.test";

// A routed, answered conversation moves the run, step, router, model, per-tenant and chat socket metrics.
const ROUTED_FLOW = `name: observed_chat
nodes:
  - { name: start, type: start }
  - name: route
    type: router
    config:
      message: "{{ input.message }}"
      model: gpt-4o-mini
      intents:
        - { name: refund, examples: ["I want my money back", "Refund my order please", "Can I get a refund?"] }
        - { name: shipping, examples: ["Where is my parcel?", "When does my package arrive?", "Track my delivery"] }
  - { name: answer, type: agent, config: { model: gpt-4o-mini, prompt_template: "Help with: {{ input.message }}" } }
  - { name: done, type: end, config: { reply: "{{ nodes.answer.output.text }}", outcome: resolved } }
edges:
  - { from: start, to: route }
  - { from: route, to: answer }
  - { from: answer, to: done }
`;

// A tool call to a loopback port nobody listens on (allow-listed for this server): retried once, then the error
// edge. Moves the retry counter.
const retryFlow = (port: number) => `name: observed_retry
nodes:
  - { name: start, type: start }
  - name: call
    type: tool.http
    retry: { attempts: 2, backoff_ms: 10 }
    config: { method: GET, url: "http://127.0.0.1:${port}/status", timeout_ms: 2000 }
  - { name: done, type: end, config: { reply: "up" } }
  - { name: down, type: end, config: { reply: "down", outcome: unresolved } }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
  - { from: call, to: down, port: error }
`;

/** Metric names a file's PromQL uses: `flowdeck_…` and the Node.js process metrics, histogram suffixes removed. */
function metricNames(text: string): string[] {
  const names = text.match(/\b(?:flowdeck_[a-z_]+|process_[a-z_]+|nodejs_[a-z0-9_]+)\b/g) ?? [];
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, "")))].sort();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Outside CI a machine without Prometheus skips; in CI (.ci/run installs it) a missing binary fails the test.
describe.skipIf(!existsSync(PROMETHEUS) && !process.env.CI)("deploy/observability against Prometheus", () => {
  let folder: string;
  let database: TestDatabase;
  let server: RunningServer;
  let inlineDatabase: TestDatabase;
  let inline: RunningServer;
  let models: FakeOpenAiServer;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let token: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "flowdeck-prometheus-"));
    database = await createTestDatabase("pg");
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database.name}`;
    // Queue mode with no worker: the queue gauges exist, and "no live workers" is true.
    server = await startServer({
      env: {
        DATABASE_URL: url.toString(),
        REDIS_URL,
        FLOWDECK_QUEUE_PREFIX: `fdp-${randomBytes(4).toString("hex")}`,
        FLOWDECK_DATA_DIR: join(folder, "data"),
        FLOWDECK_SECRETS_DIR: join(folder, "secrets"),
        NODE_ENV: "test",
      },
      port: 0,
      log: silentServerLogger,
    });
    // An inline server next to it, whose runs execute here, answered by the fake OpenAI server.
    models = await startFakeOpenAiServer({ defaultReply: { text: "It is on its way." } });
    inlineDatabase = await createTestDatabase("pg");
    const inlineUrl = new URL(ADMIN_URL);
    inlineUrl.pathname = `/${inlineDatabase.name}`;
    inline = await startServer({
      env: {
        DATABASE_URL: inlineUrl.toString(),
        FLOWDECK_DATA_DIR: join(folder, "inline-data"),
        FLOWDECK_SECRETS_DIR: join(folder, "inline-secrets"),
        OPENAI_BASE_URL: models.url,
        OPENAI_API_KEY: "sk-observed",
        FLOWDECK_HTTP_ALLOW_LIST: "127.0.0.1",
        NODE_ENV: "test",
      },
      port: 0,
      log: silentServerLogger,
    });
    const registered = await fetch(`${server.url}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        tenantName: "Observed",
        email: "ops@example.com",
        password: "a long enough password",
      }),
    });
    token = ((await registered.json()) as JsonBody).accessToken;

    // The rules as deployed, with every `for:` at 0 s so the test need not wait minutes; the expressions are
    // unchanged. /metrics answers a loopback scraper without a token.
    const rules = readFileSync(ALERTS, "utf8").replace(/^(\s+)for: \S+$/gm, "$1for: 0s");
    writeFileSync(join(folder, "alerts.yml"), rules);
    const target = new URL(server.url).host;
    writeFileSync(
      join(folder, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        `rule_files: ["${join(folder, "alerts.yml")}"]`,
        "scrape_configs:",
        `  - { job_name: flowdeck, metrics_path: /metrics, static_configs: [{ targets: ["${target}", "${new URL(inline.url).host}"] }] }`,
      ].join("\n"),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(folder, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(folder, "tsdb")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: "ignore" },
    );
    await until(
      "Prometheus ready",
      async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined),
      30_000,
    );
  }, 90_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    prometheus?.kill("SIGTERM");
    await server?.close();
    await database?.close();
    await inline?.close();
    await inlineDatabase?.close();
    await models?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function query<T = JsonBody>(path: string): Promise<T> {
    const response = await fetch(`${prometheusUrl}${path}`);
    const body = (await response.json()) as { status: string; data: T };
    if (body.status !== "success") throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  }

  /** A customer of the inline server's web channel says one thing and waits for the bot's answer. */
  async function chatWithInlineServer(text: string): Promise<void> {
    const call = async (path: string, body: unknown, bearer?: string) => {
      const response = await fetch(`${inline.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as JsonBody;
    };
    const owner = await call("/auth/register", {
      tenantName: "Observed chat",
      email: "chat@example.com",
      password: "a long enough password",
    });
    const flow = await call("/workflows", { yaml: ROUTED_FLOW }, owner.accessToken);
    await call(`/workflows/${flow.id}/publish`, {}, owner.accessToken);
    const channel = await call(
      "/channels",
      { kind: "web", workflow: flow.id, allowedOrigins: [SHOP_ORIGIN] },
      owner.accessToken,
    );
    const ws = new WebSocket(
      `${inline.url.replace("http:", "ws:")}/ws/chat?key=${encodeURIComponent(channel.publishableKey)}`,
      ["flowdeck.v1"],
      { headers: { origin: SHOP_ORIGIN } },
    );
    const reply = new Promise<JsonBody>((resolve, reject) => {
      ws.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as JsonBody;
        if (frame.type === "reply" && frame.author === "bot" && frame.text === "It is on its way.")
          resolve(frame);
        if (frame.type === "error") reject(new Error(JSON.stringify(frame)));
      });
      ws.on("error", reject);
    });
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify({ type: "message", text }));
    await reply;
    // More messages than the free plan takes in a minute (30): the rest get the flow's fallback text, counted.
    for (let i = 0; i < 35; i += 1) ws.send(JSON.stringify({ type: "message", text: `${text} (${i})` }));
    // A step that fails and is retried.
    const retried = await call("/workflows", { yaml: retryFlow(await freePort()) }, owner.accessToken);
    await call(`/workflows/${retried.id}/publish`, {}, owner.accessToken);
    await call("/runs", { workflow: "observed_retry", input: { message: "status?" } }, owner.accessToken);
    // The socket stays open until the end, so the open-sockets gauge has a value when Prometheus scrapes.
    sockets.push(ws);
  }
  const sockets: WebSocket[] = [];

  it("passes promtool on the rule files", () => {
    const checked = spawnSync(PROMTOOL, ["check", "rules", ALERTS], { encoding: "utf8" });
    expect({ status: checked.status, out: checked.stdout }).toMatchObject({
      status: 0,
      out: expect.stringContaining("SUCCESS: 8 rules found"),
    });
    // A broken rule is refused, so the check above can fail.
    writeFileSync(
      join(folder, "broken.yml"),
      "groups: [{ name: x, rules: [{ alert: A, expr: 'rate(' }] }]\n",
    );
    expect(spawnSync(PROMTOOL, ["check", "rules", join(folder, "broken.yml")]).status).not.toBe(0);
  });

  it("uses only metrics Flowdeck exposes, and the ones a run moves have series", async () => {
    // The adapter's `as:` is the name it gives the HPA, not a metric of ours.
    const used = metricNames(
      [
        readFileSync(ALERTS, "utf8"),
        readFileSync(DASHBOARD, "utf8"),
        readFileSync(ADAPTER, "utf8").replace(/as: \S+/g, ""),
      ].join("\n"),
    );
    expect(used.length).toBeGreaterThan(10);
    // An API call, so the HTTP counters move.
    const flow = `name: observed\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: "ok" } }\nedges:\n  - { from: start, to: done }\n`;
    const created = await fetch(`${server.url}/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ yaml: flow }),
    });
    expect(created.status).toBe(201);
    await chatWithInlineServer("I want a refund, the shoes do not fit");
    const metadata = await until(
      "metadata of every used metric",
      async () => {
        const known = await query<Record<string, unknown>>("/api/v1/metadata");
        return used.every((name) => name in known) ? known : undefined;
      },
      30_000,
    ).catch(async () => query<Record<string, unknown>>("/api/v1/metadata"));
    expect(used.filter((name) => !(name in metadata))).toEqual([]);
    const withSeries = async (name: string) =>
      (
        await query<unknown[]>(
          `/api/v1/series?match[]=${encodeURIComponent(`{__name__=~"${name}(_bucket)?"}`)}`,
        )
      ).length > 0;
    const missing = async () => {
      const without: string[] = [];
      for (const name of used) {
        if (!(await withSeries(name))) without.push(name);
      }
      return without;
    };
    await until(
      "series of every used metric",
      async () => ((await missing()).length ? undefined : true),
      20_000,
    ).catch(() => undefined);
    expect(await missing()).toEqual([]);
    // The conversation was counted, not only declared: routed locally, answered by a paid model, per tenant.
    const value = async (expr: string) => {
      const data = await query<{ result: Array<{ value: [number, string] }> }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return Number(data.result[0]?.value[1] ?? 0);
    };
    for (const expr of [
      'sum(flowdeck_router_decisions_total{tier="local"})',
      "sum(flowdeck_router_saved_usd_total)",
      "sum(flowdeck_tenant_model_cost_usd_total)",
      'sum(flowdeck_tenant_runs_finished_total{status="completed"})',
      'sum(flowdeck_chat_frames_total{direction="in"})',
      "sum(flowdeck_chat_sockets)",
    ]) {
      expect({ expr, positive: (await value(expr)) > 0 }).toEqual({ expr, positive: true });
    }
  }, 60_000);

  it("fires the no-live-workers and readiness alerts when the queue has no worker", async () => {
    // /readyz answers 503 (no live worker); the rule sees the 503s in flowdeck_http_requests_total.
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const firing = await until(
      "both alerts firing",
      async () => {
        await fetch(`${server.url}/readyz`);
        const { alerts } = await query<{ alerts: Array<{ labels: { alertname: string }; state: string }> }>(
          "/api/v1/alerts",
        );
        const names = alerts
          .filter((alert) => alert.state === "firing")
          .map((alert) => alert.labels.alertname);
        return names.includes("FlowdeckNoLiveWorkers") && names.includes("FlowdeckReadinessFailing")
          ? names.sort()
          : undefined;
      },
      60_000,
    );
    expect(firing).toEqual(expect.arrayContaining(["FlowdeckNoLiveWorkers", "FlowdeckReadinessFailing"]));
    expect(firing).not.toContain("FlowdeckRunFailureRateHigh");
  }, 90_000);
});
