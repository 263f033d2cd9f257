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
        `  - { job_name: flowdeck, metrics_path: /metrics, static_configs: [{ targets: ["${target}"] }] }`,
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
    prometheus?.kill("SIGTERM");
    await server?.close();
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function query<T = JsonBody>(path: string): Promise<T> {
    const response = await fetch(`${prometheusUrl}${path}`);
    const body = (await response.json()) as { status: string; data: T };
    if (body.status !== "success") throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  }

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
    for (const name of ["flowdeck_http_requests_total", "flowdeck_queue_jobs", "flowdeck_queue_workers"]) {
      expect({
        name,
        series: await until(
          `${name} series`,
          async () => ((await withSeries(name)) ? true : undefined),
          20_000,
        ),
      }).toEqual({ name, series: true });
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
