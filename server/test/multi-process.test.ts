/**
 * Queue mode across processes (issue 7): two `flowdeck worker` processes on one Redis and one PostgreSQL,
 * and two API sides (each its own BullMQ queue and event bus, as two API processes hold them). Runs started
 * through either API complete once each, subflows resolve to published versions, a message recorded through
 * one API is applied by a worker, and every API side sees the events of runs it did not start. SIGTERM ends a
 * worker with exit code 0. Loopback only, bounded in time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import {
  createBullmqQueue,
  createDatabaseEngine,
  createModelGateway,
  createRunEventBus,
  createWorkflowLibrary,
  type BullmqRunQueue,
  type DatabaseEngine,
  type RunEventBus,
  type RunEventMessage,
} from "@flowdeck/runtime";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { workerCommand } from "../src/cli/worker-command";
import { createPublishedWorkflows } from "../src/runs/published-workflows";
import { runServerMigrations } from "../src/store/server-migrations";
import { createWorkflowValidator } from "@flowdeck/schemas";

const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const SERVER = join(import.meta.dirname, "..");
const RUNS = 60;

/** Two effects (a ticket, a lead) in a published subflow; the lead's email is per run, so rows count runs. */
const EFFECTS = `name: mp_effects
nodes:
  - { name: start, type: start, config: { inputs: [{ name: email }] } }
  - { name: ticket, type: tool.ticket_create, config: { subject: "Multi-process", description: "{{ input.message }}" } }
  - { name: lead, type: tool.lead_capture, config: { email: "{{ input.email }}", name: "Multi Process" } }
  - { name: done, type: end, config: { reply: "filed", outcome: resolved } }
edges:
  - { from: start, to: ticket }
  - { from: ticket, to: lead }
  - { from: lead, to: done }
`;
const ROOT = `name: mp_root
nodes:
  - { name: start, type: start }
  - { name: file, type: subflow, config: { workflow: mp_effects, input: { email: "{{ input.email }}" } } }
  - { name: ask_more, type: ask, config: { prompt: "Anything else?", variable: more } }
  - { name: bye, type: reply, config: { text: "Noted: {{ vars.more }}" } }
  - { name: done, type: end, config: { outcome: resolved } }
edges:
  - { from: start, to: file }
  - { from: file, to: ask_more }
  - { from: ask_more, to: bye }
  - { from: bye, to: done }
`;

interface WorkerChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  output(): string;
}

function spawnWorker(env: Record<string, string>): WorkerChild {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "worker"], {
    cwd: SERVER,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('"event":"ready"')) onReady();
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("queue mode across processes", { timeout: 180_000 }, () => {
  const prefix = `fdtest-mp-${randomBytes(4).toString("hex")}`;
  let database: TestDatabase;
  let tenantId: string;
  let engine: DatabaseEngine;
  const workers: WorkerChild[] = [];
  const apis: Array<{ queue: BullmqRunQueue; bus: RunEventBus; seen: RunEventMessage[] }> = [];

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 8 });
    await runServerMigrations(database.db);
    tenantId = await database.createTenant("multi-process", { seed: true });
    // Publish both workflows as version 1 (what POST /workflows/:id/publish stores).
    await database.db.transaction(
      async (sql) => {
        for (const yaml of [EFFECTS, ROOT]) {
          const name = /^name: (\w+)/.exec(yaml)![1]!;
          const { rows } = await sql.query<{ id: string }>(
            "INSERT INTO workflows (tenant_id, name, draft_yaml) VALUES ($1, $2, $3) RETURNING id::text AS id",
            [tenantId, name, yaml],
          );
          await sql.query(
            "INSERT INTO workflow_versions (tenant_id, workflow_id, version, yaml) VALUES ($1, $2::uuid, 1, $3)",
            [tenantId, rows[0]!.id, yaml],
          );
        }
      },
      { tenantId },
    );
    const registry = createBuiltinRegistry();
    const published = createPublishedWorkflows(database.db, createWorkflowValidator(registry.catalog()));
    const offline = createModelGateway({ env: {} });
    engine = createDatabaseEngine({
      db: database.db,
      registry,
      resolveWorkflow: published.resolve,
      models: () => offline,
    });
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database.name}`,
      REDIS_URL,
      FLOWDECK_QUEUE_PREFIX: prefix,
      FLOWDECK_WORKER_CONCURRENCY: "4",
      FLOWDECK_LOCK_DURATION_MS: "2000",
      FLOWDECK_STALLED_INTERVAL_MS: "1000",
      OPENAI_API_KEY: "",
    };
    workers.push(spawnWorker(env), spawnWorker(env));
    for (const api of [0, 1]) {
      void api;
      const bus = createRunEventBus({ redisUrl: REDIS_URL, prefix });
      const seen: RunEventMessage[] = [];
      bus.subscribe((message) => seen.push(message));
      await bus.whenSubscribed();
      apis.push({
        queue: createBullmqQueue({ redisUrl: REDIS_URL, prefix, engine: engine.engine }),
        bus,
        seen,
      });
    }
    await Promise.all(
      workers.map(async (w) => {
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`worker did not start: ${w.output()}`)), 60_000),
        );
        await Promise.race([w.ready, timeout]);
      }),
    );
  });

  afterAll(async () => {
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    for (const api of apis) {
      await api.queue.queue.obliterate({ force: true }).catch(() => undefined);
      await api.queue.close();
      await api.bus.close();
    }
    await database?.close();
  });

  it("runs started through both APIs complete once each on two workers; events reach both APIs", async () => {
    const library = createWorkflowLibrary(createBuiltinRegistry().catalog());
    library.add(EFFECTS);
    const root = library.add(ROOT);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const run = await engine.engine.createRun({
        tenantId,
        workflow: root,
        workflowVersion: 1,
        input: { message: `run ${i}`, email: `mp-${i}-${randomBytes(3).toString("hex")}@example.com` },
      });
      await apis[i % 2]!.queue.enqueueStart(tenantId, run.id);
      ids.push(run.id);
    }
    const statuses = async () => {
      const runs = await Promise.all(ids.map((id) => engine.store.getRun(tenantId, id)));
      return runs.map((run) => run?.status);
    };
    await waitFor("every run to ask", async () => (await statuses()).every((s) => s === "waiting"));

    // Answer each through the other API than the one that started it.
    for (const [i, id] of ids.entries()) {
      await apis[(i + 1) % 2]!.queue.enqueueResume(tenantId, id, { kind: "message", text: `nothing ${i}` });
    }
    await waitFor("every run to complete", async () => (await statuses()).every((s) => s === "completed"));

    const count = (table: string) =>
      database.db.transaction(
        async (sql) =>
          Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n),
        { tenantId },
      );
    expect({
      tickets: await count("tickets"),
      leads: await count("leads"),
      keys: await count("idempotency_keys"),
    }).toEqual({
      tickets: RUNS,
      leads: RUNS,
      keys: 2 * RUNS,
    });
    // Each API side saw the final reply of every run, including those started and answered through the other.
    await waitFor("events on both APIs", async () =>
      apis.every((api) =>
        ids.every((id) =>
          api.seen.some((m) => m.runId === id && m.events.some((e) => e.type === "run.completed")),
        ),
      ),
    );
    for (const api of apis) {
      const replies = api.seen
        .filter((m) => m.runId === ids[1])
        .flatMap((m) => m.events)
        .filter((e) => e.type === "message.sent");
      expect(replies.map((e) => e.data.text)).toEqual(["filed", "Anything else?", "Noted: nothing 1"]);
    }
    const stats = await apis[0]!.queue.queueStats();
    expect(stats.workers).toBeGreaterThanOrEqual(2);
    expect(stats.waiting + stats.active).toBe(0);
  });

  it("flowdeck worker without REDIS_URL or DATABASE_URL is a usage error (FD284)", async () => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      write: () => undefined,
      err: (line: string) => lines.push(line),
      readText: () => Promise.resolve(""),
      writeText: () => Promise.resolve(),
    };
    expect(await workerCommand(io, { env: { DATABASE_URL: "postgres://x@127.0.0.1/x" } })).toBe(2);
    expect(lines.join("\n")).toContain("FD284");
  });

  it("resolves a published subflow by name, latest or pinned, and nothing for an unknown name", async () => {
    const published = createPublishedWorkflows(
      database.db,
      createWorkflowValidator(createBuiltinRegistry().catalog()),
    );
    expect((await published.resolve(tenantId, "mp_effects", "latest"))?.name).toBe("mp_effects");
    expect((await published.resolve(tenantId, "mp_effects", 1))?.name).toBe("mp_effects");
    expect(await published.resolve(tenantId, "mp_effects", 2)).toBeUndefined();
    expect(await published.resolve(tenantId, "nope", "latest")).toBeUndefined();
    // Another tenant does not see this tenant's workflows (RLS).
    const other = await database.createTenant("other");
    expect(await published.resolve(other, "mp_effects", "latest")).toBeUndefined();
  });

  it("a worker ends with exit code 0 on SIGTERM", async () => {
    const worker = workers[0]!;
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('"event":"stopping"');
  });
});
