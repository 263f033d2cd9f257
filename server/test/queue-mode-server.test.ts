/**
 * `npm start` with REDIS_URL: the API enqueues on BullMQ and executes nothing itself; a `flowdeck worker`
 * executes the runs, and their events come back over Redis to the API's RunHost. /readyz reports the queue
 * and whether any worker is there; /metrics shows the queue gauges.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import { startServer, type RunningServer } from "../src/app/start-server";
import { workerCommand } from "../src/cli/worker-command";
import { setTenantPlan } from "../src/plans/set-tenant-plan";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";
import type { JsonBody } from "./support/test-server";

const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GREETER = `name: greeter
nodes:
  - { name: start, type: start }
  - { name: ask_name, type: ask, config: { prompt: "What is your name?", variable: who } }
  - { name: done, type: end, config: { reply: "Hello {{ vars.who }}" } }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: done }
`;

describe("the server in queue mode (REDIS_URL)", () => {
  let testDb: TestDatabase;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  let stopWorker: AbortController | undefined;
  let worker: Promise<number> | undefined;
  let token: string;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase("pg");
    const url = new URL(ADMIN_URL);
    url.pathname = `/${testDb.name}`;
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      FLOWDECK_QUEUE_PREFIX: `fdq-${randomBytes(4).toString("hex")}`,
      FLOWDECK_DATA_DIR: mkdtempSync(join(tmpdir(), "flowdeck-queue-mode-")),
      FLOWDECK_JWT_SECRET: randomBytes(32).toString("hex"),
      NODE_ENV: "test",
    };
    server = await startServer({ env, port: 0, log: silentServerLogger });
    const registered = await api("POST", "/auth/register", {
      tenantName: "Queue mode",
      email: "queue@example.com",
      password: "a long enough password",
    });
    // Registration starts on the default plan; the operator's path moves it (flowdeck tenant set-plan).
    await setTenantPlan(testDb.db, registered.body.tenant.id, "pro", "test");
    token = registered.body.accessToken;
    tenantId = registered.body.tenant.id;
  });

  afterAll(async () => {
    stopWorker?.abort();
    await worker;
    await server?.close();
    await testDb?.close();
  });

  async function api(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: JsonBody; text: string }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  }

  function startWorker(): Promise<void> {
    stopWorker = new AbortController();
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const io: CliIo = {
      out: (line) => {
        if (line.includes('"ready"')) ready();
      },
      write: () => undefined,
      err: () => undefined,
      readText: readWorkflowFile,
      writeText: () => Promise.resolve(),
    };
    worker = workerCommand(io, { env, signal: stopWorker.signal });
    return isReady;
  }

  it("is not ready without a worker, and says which check failed", async () => {
    expect(server.runs.driver).toBe("bullmq");
    const ready = await api("GET", "/readyz");
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain("workers");
  });

  it("stores and enqueues runs that a worker executes; a message is answered through the queue", async () => {
    const created = await api("POST", "/workflows", { yaml: GREETER });
    expect((await api("POST", `/workflows/${created.body.id}/publish`, {})).status).toBe(201);
    const started = await api("POST", "/runs", { workflow: "greeter" });
    expect(started.status).toBe(202);
    // Nothing executes in the API process: without a worker the run stays queued.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api("GET", `/runs/${started.body.id}`)).body.status).toBe("queued");

    await startWorker();
    expect((await api("GET", "/readyz")).status).toBe(200);
    const seen: string[] = [];
    const unsubscribe = server.runs.subscribe(tenantId, (batch) => {
      for (const event of batch.events) if (event.type === "message.sent") seen.push(String(event.data.text));
    });
    try {
      const waiting = await server.runs.settled(tenantId, started.body.id, 20_000);
      expect(waiting.status).toBe("waiting");
      const { run: asked } = await server.runs.message({
        tenantId,
        target: { kind: "published", workflowId: created.body.id },
        conversationId: waiting.conversationId,
        channel: "api",
        text: "Grace",
      });
      const done = await server.runs.settled(tenantId, asked.id, 20_000, asked.stateVersion);
      expect(done.status).toBe("completed");
      // The worker's events reached this process over Redis.
      expect(seen).toContain("Hello Grace");
    } finally {
      unsubscribe();
    }
    const metrics = await fetch(`${server.url}/metrics`);
    expect(await metrics.text()).toMatch(/flowdeck_queue_workers\S* 1/);
  });

  it("labels the editor's test runs apart in /metrics, from the channel the worker's events carry", async () => {
    const draft = await api("POST", "/runs", { workflow: "greeter", draft: true });
    expect(draft.body.channel).toBe("test");
    expect((await server.runs.settled(tenantId, draft.body.id, 20_000)).status).toBe("waiting");
    // The API sees the run only through the worker's bus messages; a scrape may come before the last one.
    const started = async () =>
      (await (await fetch(`${server.url}/metrics`)).text())
        .split("\n")
        .filter((line) => line.startsWith("flowdeck_runs_started_total{"));
    for (
      let tries = 0;
      tries < 50 && !(await started()).includes('flowdeck_runs_started_total{test="true"} 1');
      tries += 1
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await started()).toEqual([
      'flowdeck_runs_started_total{test="false"} 1',
      'flowdeck_runs_started_total{test="true"} 1',
    ]);
  });
});
