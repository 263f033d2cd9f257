import { readdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";
import express from "express";
import { createApp } from "../../server/src/app/create-app";
import { createJsonLogger, silentServerLogger } from "../../server/src/kit/logger";
import { serverConfig } from "../../server/src/config/server-config";
import { createRunHost } from "../../server/src/runs/create-run-host";
import { runServerMigrations } from "../../server/src/store/server-migrations";
import { createTestDatabase } from "../../runtime/test/support/test-database";
import type { Database } from "@flowdeck/runtime";
import { setTenantPlan } from "../../server/src/plans/set-tenant-plan";

const WORKFLOWS = 20;
const CONNECTIONS = 10;
// Interleaved rounds: a slow moment of a shared machine hits every contender alike, so ratios stay meaningful.
const ROUNDS = 3;
const SLICE_SECONDS = 3;
const WARMUP_SECONDS = 1;
const WORKFLOWS_DIR = new URL("../../workflows/", import.meta.url);

/** One contender's slices, merged. */
interface Measured {
  /** 2xx latencies in ms (float, from hrtime). */
  readonly samples: number[];
  seconds: number;
  requests: number;
  /** Answers other than 2xx, plus socket errors and timeouts: the run is void when this is not 0. */
  bad: number;
  /** e.g. `500 x3`, for the report when `bad` is not 0. */
  readonly badDetail: string[];
}

/** One autocannon instance: `connections` keep-alive connections sending the same request. */
interface Target {
  readonly path: string;
  readonly connections: number;
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface Contender {
  readonly label: string;
  readonly base: string;
  /** Run at the same time; their answers are merged. */
  readonly targets: readonly Target[];
  readonly measured: Measured;
}

/**
 * The API under autocannon on loopback, on real PostgreSQL (a fresh database, like the tests): `GET /workflows`
 * for a tenant with 20 workflows (auth, RLS transaction, list query, JSON) and `POST /workflows/:id/publish`
 * (auth, draft read, full validation of the YAML, version insert, audit row), each as ratios to a bare Express
 * route returning a small JSON document, measured in the same process before and after (their mean is the
 * baseline, so drift of the machine shows instead of skewing one side). Load generator and servers share this
 * process: absolute numbers are not the point, the ratios are.
 */
export async function runServerApiBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const database = await createTestDatabase("pg", { maxConnections: CONNECTIONS });
  const runs = createRunHost({ db: database.db, log: silentServerLogger });
  const servers: Server[] = [];
  try {
    await runServerMigrations(database.db);
    const config = serverConfig("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz", { bcryptCost: 4 });
    // Only failures are kept (a few), to explain bad answers; request logs would cost more than the routes.
    const serverErrors: string[] = [];
    const errorLog = createJsonLogger({
      level: "error",
      write: (line) => void (serverErrors.length < 3 && serverErrors.push(line.slice(0, 600))),
    });
    const app = createApp({ db: database.db, config, log: errorLog, runs });
    const api = await listen(app, servers);

    const bare = express();
    bare.get("/bare", (_req, res) => {
      res.json({ status: "ok", items: [{ id: 1, name: "a" }] });
    });
    const baseline = await listen(bare, servers);

    const { token, ids } = await seedTenant(api, database.db);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

    const contenders: Contender[] = [
      {
        label: "bare Express GET (baseline)",
        base: baseline,
        targets: [{ path: "/bare", connections: CONNECTIONS }],
        measured: empty(),
      },
      {
        label: `GET /workflows (${WORKFLOWS})`,
        base: api,
        targets: [{ path: "/workflows", connections: CONNECTIONS, headers: auth }],
        measured: empty(),
      },
      {
        label: "POST /workflows/:id/publish",
        base: api,
        // One connection per workflow, ten workflows at once: the latency of a publish, not of two editors
        // racing for one workflow's next version number.
        targets: ids.slice(0, CONNECTIONS).map((id) => ({
          path: `/workflows/${id}/publish`,
          connections: 1,
          method: "POST" as const,
          headers: auth,
          body: JSON.stringify({ note: "bench" }),
        })),
        measured: empty(),
      },
    ];
    for (const contender of contenders)
      await measure(contender.base, contender.targets, WARMUP_SECONDS, empty());
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const contender of contenders) {
        await measure(contender.base, contender.targets, SLICE_SECONDS, contender.measured);
      }
    }

    const rows = contenders.map((contender) => summarize(contender.label, contender.measured));
    const bareRow = rows[0]!;
    log(
      `server API: autocannon, ${CONNECTIONS} connections, loopback, PostgreSQL; ${ROUNDS} interleaved rounds of ${SLICE_SECONDS} s (one process serves and loads)`,
    );
    log(
      `  ${"route".padEnd(30)} ${"p50".padStart(9)} ${"p99".padStart(9)} ${"req/s".padStart(8)}  ratio to bare: p50 / p99 / req/s`,
    );
    for (const row of rows) {
      const ratios =
        row === bareRow
          ? "1 (baseline)"
          : `${ratio(row.p50Ms, bareRow.p50Ms)} / ${ratio(row.p99Ms, bareRow.p99Ms)} / ${ratio(row.requestsPerSecond, bareRow.requestsPerSecond)}`;
      log(
        `  ${row.label.padEnd(30)} ${ms(row.p50Ms)} ${ms(row.p99Ms)} ${row.requestsPerSecond.toFixed(0).padStart(8)}  ${ratios}${row.bad ? `  (bad answers: ${row.badDetail})` : ""}`,
      );
    }
    const publishedVersions = await database.db.ownerTransaction((sql) =>
      sql.query<{ n: number }>("SELECT count(*)::int AS n FROM workflow_versions"),
    );
    log(`  versions published during the run: ${publishedVersions.rows[0]?.n ?? 0}`);
    for (const line of serverErrors) log(`  server error: ${line}`);
    return { ok: rows.every((row) => row.bad === 0 && row.requests > 0) };
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await runs.close();
    await database.close();
  }
}

async function listen(app: express.Express, servers: Server[]): Promise<string> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const empty = (): Measured => ({ samples: [], seconds: 0, requests: 0, bad: 0, badDetail: [] });

/**
 * One slice: every target's autocannon instance at once, added to `into`. Latencies come from the `response`
 * events (float ms from hrtime): autocannon's own histogram rounds to whole milliseconds, too coarse for a bare
 * route answering in a fraction of one.
 */
async function measure(
  base: string,
  targets: readonly Target[],
  seconds: number,
  into: Measured,
): Promise<void> {
  const results = await Promise.all(
    targets.map(
      (target) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(
            {
              url: `${base}${target.path}`,
              connections: target.connections,
              duration: seconds,
              method: target.method ?? "GET",
              ...(target.headers ? { headers: target.headers } : {}),
              ...(target.body ? { body: target.body } : {}),
            },
            (error, done) => (error ? reject(error) : resolve(done)),
          );
          instance.on("response", (_client, statusCode, _bytes, responseTimeMs) => {
            if (statusCode >= 200 && statusCode < 300) into.samples.push(responseTimeMs);
          });
        }),
    ),
  );
  into.seconds += seconds;
  for (const result of results) {
    into.requests += result.requests.total;
    into.bad += result.non2xx + result.errors + result.timeouts;
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
      if (!code.startsWith("2")) into.badDetail.push(`${code} x${stat.count ?? 0}`);
    }
    if (result.errors) into.badDetail.push(`socket errors x${result.errors}`);
  }
}

function summarize(label: string, measured: Measured) {
  const sorted = [...measured.samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    label,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    requestsPerSecond: measured.requests / measured.seconds,
    requests: measured.requests,
    bad: measured.bad,
    badDetail: measured.badDetail.join(", "),
  };
}

/** A tenant with 20 workflows: the seed's flows from workflows/, and renamed copies of them. */
async function seedTenant(api: string, db: Database): Promise<{ token: string; ids: string[] }> {
  const registered = await call(api, "POST", "/auth/register", undefined, {
    tenantName: "Bench Outfitters",
    email: "owner@bench.example",
    password: "correct horse battery staple",
  });
  // Registration starts on free; the operator's path (flowdeck tenant set-plan) moves it.
  await setTenantPlan(db, (registered.tenant as { id: string }).id, "pro", "test");
  const token = registered.accessToken as string;
  const files = readdirSync(WORKFLOWS_DIR)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => readFileSync(join(WORKFLOWS_DIR.pathname, name), "utf8"));
  const ids: string[] = [];
  for (let i = 0; i < WORKFLOWS; i += 1) {
    const source = files[i % files.length]!;
    const yaml = i < files.length ? source : source.replace(/^name: (\w+)/m, `name: $1_copy_${i}`);
    const created = await call(api, "POST", "/workflows", token, { yaml });
    ids.push(created.id as string);
  }
  return { token, ids };
}

async function call(
  api: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}

const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(9);
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`;
