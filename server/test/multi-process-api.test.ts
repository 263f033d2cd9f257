/**
 * Two API processes (`flowdeck serve` with REDIS_URL and DATABASE_URL) and two `flowdeck worker` processes on
 * one Redis and one PostgreSQL (issue 7): runs started through either API complete; a chat client connected to
 * API A receives the reply to a message its customer sent through API B (executed by whichever worker took
 * it), because run events fan out over Redis. Loopback only, bounded in time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { openClient, SHOP_ORIGIN } from "./chat-support";
import { setTenantPlan } from "../src/plans/set-tenant-plan";

const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const SERVER = join(import.meta.dirname, "..");

const GREETER = `name: mp_greeter
nodes:
  - { name: start, type: start }
  - { name: ask_name, type: ask, config: { prompt: "What's your name?", variable: who } }
  - { name: ticket, type: tool.ticket_create, config: { subject: "Hello from {{ vars.who }}", description: "multi-process" } }
  - { name: greet, type: reply, config: { text: "Nice to meet you, {{ vars.who }}." } }
  # A person takes over, so the inbox answer below goes to a conversation that is with a human (FD354 otherwise).
  - { name: human, type: handoff, config: { message: "A colleague will join you here.", reason: "hello" } }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: ticket }
  - { from: ticket, to: greet }
  - { from: greet, to: human }
`;

interface Child {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the first stdout match of `pattern`'s group 1. */
  wait(pattern: RegExp, timeoutMs: number): Promise<string>;
}

function start(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: SERVER,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    async wait(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match[1] ?? match[0];
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${String(pattern)} from flowdeck ${args.join(" ")}: ${output.slice(-2000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("two API processes and two workers on one Redis and one PostgreSQL", { timeout: 180_000 }, () => {
  const prefix = `fdtest-mpapi-${randomBytes(4).toString("hex")}`;
  let database: TestDatabase;
  let dataDir: string;
  const children: Child[] = [];
  const apis: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 4 });
    dataDir = await mkdtemp(join(tmpdir(), "flowdeck-mp-"));
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database.name}`,
      REDIS_URL,
      FLOWDECK_QUEUE_PREFIX: prefix,
      FLOWDECK_DATA_DIR: dataDir,
      // The same secret everywhere: a token from one API is good at the other, as behind a load balancer.
      FLOWDECK_JWT_SECRET: `multi-process-${randomBytes(24).toString("hex")}`,
      FLOWDECK_DEMO: "0",
      FLOWDECK_WORKER_CONCURRENCY: "4",
      FLOWDECK_LOCK_DURATION_MS: "2000",
      FLOWDECK_STALLED_INTERVAL_MS: "1000",
      OPENAI_API_KEY: "",
      PORT: "0",
    };
    // One API first: it applies the migrations the others then find done.
    const first = start(["serve"], env);
    children.push(first);
    apis.push(await first.wait(/API server: (http:\/\/[^\s]+)/, 90_000));
    const rest = [start(["serve"], env), start(["worker"], env), start(["worker"], env)];
    children.push(...rest);
    apis.push(await rest[0]!.wait(/API server: (http:\/\/[^\s]+)/, 90_000));
    await Promise.all(rest.slice(1).map((w) => w.wait(/"event":"ready"/, 90_000)));
  });

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("runs started through both APIs complete; a chat client on A sees a reply to what B was told, and B's inbox answer", async () => {
    const [a, b] = apis as [string, string];
    const registered = await call(a, "POST", "/auth/register", undefined, {
      tenantName: "Multi process",
      email: `mp-${randomBytes(4).toString("hex")}@example.com`,
      password: "correct horse battery staple",
    });
    expect(registered.status).toBe(201);
    // Registration starts on the default plan; the operator's path moves it (flowdeck tenant set-plan).
    await setTenantPlan(database.db, registered.body.tenant.id, "pro", "test");
    const token = registered.body.accessToken as string;
    const created = await call(a, "POST", "/workflows", token, { yaml: GREETER });
    expect(created.status).toBe(201);
    expect((await call(b, "POST", `/workflows/${created.body.id}/publish`, token, {})).status).toBe(201);

    // Runs through both APIs; each is read back through the other.
    const ids: Array<{ id: string; api: string }> = [];
    for (let i = 0; i < 20; i += 1) {
      const api = i % 2 === 0 ? a : b;
      const started = await call(api, "POST", "/runs", token, { workflow: "mp_greeter", input: {} });
      expect(started.status).toBe(202);
      ids.push({ id: started.body.id, api: api === a ? b : a });
    }
    const deadline = Date.now() + 60_000;
    for (const { id, api } of ids) {
      for (;;) {
        const run = await call(api, "GET", `/runs/${id}`, token);
        if (run.body.status === "waiting") break;
        if (Date.now() > deadline) throw new Error(`run ${id} is ${run.body.status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    // A customer chats on A; the same conversation then continues on B (a reconnect landing elsewhere).
    const channel = await call(a, "POST", "/channels", token, {
      kind: "web",
      workflow: created.body.id,
      allowedOrigins: [SHOP_ORIGIN],
    });
    expect(channel.status).toBe(201);
    const key = channel.body.publishableKey as string;
    const url = (base: string) => `${base.replace("http:", "ws:")}/ws/chat?${new URLSearchParams({ key })}`;
    const onA = await openClient(url(a), { origin: SHOP_ORIGIN });
    onA.send({ type: "message", text: "hello" });
    const ready = await onA.next((f) => f.type === "ready" && f.conversationId, 30_000);
    expect((await onA.next((f) => f.type === "reply", 30_000)).text).toBe("What's your name?");
    const onB = await openClient(url(b), { origin: SHOP_ORIGIN });
    onB.send({ type: "resume", conversationId: ready.conversationId });
    onB.send({ type: "message", text: "Ada" });
    for (const client of [onB, onA]) {
      const reply = await client.next((f) => f.type === "reply" && String(f.text).startsWith("Nice"), 30_000);
      expect(reply.text).toBe("Nice to meet you, Ada.");
    }
    // A staff member answers through B's inbox; the customer's socket on A hears it (notices go over Redis).
    const tenant = registered.body.tenant.id as string;
    const runId = await database.db.transaction(
      async (sql) =>
        (
          await sql.query<{ id: string }>(
            "SELECT id::text AS id FROM runs WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1",
            [ready.conversationId],
          )
        ).rows[0]!.id,
      { tenantId: tenant },
    );
    const answered = await call(b, "POST", `/inbox/runs/${runId}/reply`, token, {
      text: "Sam here, from B.",
    });
    expect(answered.status).toBe(201);
    for (const client of [onA, onB]) {
      const reply = await client.next((f) => f.type === "reply" && f.author === "agent", 30_000);
      expect(reply.text).toBe("Sam here, from B.");
    }
    onA.ws.close();
    onB.ws.close();
    // One conversation, one ticket: the run's effect happened once, in a worker.
    const tenantId = registered.body.tenant.id as string;
    const tickets = await database.db.transaction(
      async (sql) => (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets")).rows[0]!.n,
      { tenantId },
    );
    expect(tickets).toBe(1);
  });
});
