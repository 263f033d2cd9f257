/**
 * OpenTelemetry tracing (issue 21): a run started over HTTP on the API and executed by a separate
 * `flowdeck worker` process is one trace — the request's span, the worker's activation, each step and the
 * model call — received by an OTLP/HTTP receiver on loopback. No attribute carries the customer's message or
 * the model key. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing is started and jobs carry no trace context.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeTraceCarrier } from "../../runtime/src/telemetry/trace-carrier";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../runtime/test/support/fake-openai-server";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { createJsonLogger } from "../src/kit/logger";
import { ECHO_ROUTER, openClient, SHOP_ORIGIN, socketUrl } from "./chat-support";
import { startServer, type RunningServer } from "../src/app/start-server";
import { setTenantPlan } from "../src/plans/set-tenant-plan";
import { signPayload } from "../src/webhooks/webhook-signature";
import { startTelemetry, tracesEndpoint } from "../src/telemetry/start-telemetry";
import type { JsonBody, TestServer } from "./support/test-server";

const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN_URL = process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SERVER = join(import.meta.dirname, "..");
const CUSTOMER_TEXT = "my parcel 4711 never arrived, call me on +44 7700 900123";
const CHAT_TEXT = "where is parcel 9182, my email is ada@example.com";
const MODEL_KEY = `sk-test-${randomBytes(12).toString("hex")}`;

const FLOW = `name: traced_agent
nodes:
  - { name: start, type: start }
  - { name: answer, type: agent, config: { model: gpt-4o-mini, prompt_template: "Help with: {{ input.message }}" } }
  - { name: done, type: end, config: { reply: "{{ nodes.answer.output.text }}", outcome: resolved } }
edges:
  - { from: start, to: answer }
  - { from: answer, to: done }
`;

interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: ReadonlyArray<{ readonly key: string; readonly value: OtlpValue }>;
  service: string;
}

/** A tiny OTLP/HTTP (JSON) trace receiver: POST /v1/traces, every span kept with its service's name. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  spans: OtlpSpan[];
  bodies: string[];
}> {
  const spans: OtlpSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      bodies.push(body);
      const parsed = JSON.parse(body) as {
        resourceSpans?: Array<{
          resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
          scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
        }>;
      };
      for (const resourceSpans of parsed.resourceSpans ?? []) {
        const service =
          resourceSpans.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, spans, bodies };
}

function attribute(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// First, before the SDK of the next block is registered in this process.
describe("tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("starts nothing: no SDK, non-recording spans, no trace context for jobs", async () => {
    expect(tracesEndpoint({})).toBeUndefined();
    expect(await startTelemetry({ env: {}, defaultServiceName: "flowdeck-api" })).toBeUndefined();
    const span = trace.getTracer("probe").startSpan("probe");
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(activeTraceCarrier()).toBeUndefined();
  });

  it("reads the endpoint by the spec's rule", () => {
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318/" })).toBe(
      "http://127.0.0.1:4318/v1/traces",
    );
    expect(
      tracesEndpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/traces",
      }),
    ).toBe("http://b:4318/traces");
  });
});

describe("a run started over HTTP and executed by a worker process", { timeout: 120_000 }, () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let models: FakeOpenAiServer;
  let testDb: TestDatabase;
  let server: RunningServer;
  let worker: ChildProcess | undefined;
  let workerOutput = "";
  let token = "";
  const logLines: string[] = [];
  const savedDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

  beforeAll(async () => {
    receiver = await startReceiver();
    models = await startFakeOpenAiServer({ defaultReply: { text: "We are on it." } });
    testDb = await createTestDatabase("pg");
    const databaseUrl = new URL(ADMIN_URL);
    databaseUrl.pathname = `/${testDb.name}`;
    // The SDK reads its batch delay from the process environment (the API runs in this process).
    process.env.OTEL_BSP_SCHEDULE_DELAY = "100";
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL,
      FLOWDECK_QUEUE_PREFIX: `fdtrace-${randomBytes(4).toString("hex")}`,
      FLOWDECK_DATA_DIR: mkdtempSync(join(tmpdir(), "flowdeck-trace-")),
      FLOWDECK_SECRETS_DIR: mkdtempSync(join(tmpdir(), "flowdeck-trace-secrets-")),
      FLOWDECK_JWT_SECRET: randomBytes(32).toString("hex"),
      NODE_ENV: "test",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
    };
    server = await startServer({
      env,
      port: 0,
      log: createJsonLogger({ write: (line) => void logLines.push(line) }),
    });
    worker = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "worker"], {
      cwd: SERVER,
      env: { ...process.env, ...env, OPENAI_BASE_URL: models.url, OPENAI_API_KEY: MODEL_KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (chunk: Buffer) => (workerOutput += chunk.toString()));
    worker.stderr!.on("data", (chunk: Buffer) => (workerOutput += chunk.toString()));
    await waitFor("the worker to be ready", () => workerOutput.includes('"event":"ready"'), 60_000);
    const registered = await api("POST", "/auth/register", {
      tenantName: "Traced",
      email: "traced@example.com",
      password: "a long enough password",
    });
    // Registration starts on the default plan; the operator's path moves it (flowdeck tenant set-plan).
    await setTenantPlan(testDb.db, registered.body.tenant.id, "pro", "test");
    token = registered.body.accessToken;
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await server?.close();
    await testDb?.close();
    await models?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    if (savedDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    else process.env.OTEL_BSP_SCHEDULE_DELAY = savedDelay;
  });

  async function api(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  it("yields one trace: request → activation → steps → model call, with ids and no text or key", async () => {
    const created = await api("POST", "/workflows", { yaml: FLOW });
    expect(created.status).toBe(201);
    expect((await api("POST", `/workflows/${created.body.id}/publish`, {})).status).toBe(201);
    const started = await api("POST", "/runs", {
      workflow: "traced_agent",
      input: { message: CUSTOMER_TEXT },
    });
    expect(started.status).toBe(202);
    const runId = started.body.id as string;
    await waitFor(
      "the run to complete",
      async () => (await api("GET", `/runs/${runId}`)).body.status === "completed",
    );
    // The model really was called with the customer's text (so its absence from the spans means something).
    expect(JSON.stringify(models.requests.map((request) => request.messages))).toContain(CUSTOMER_TEXT);

    const find = (predicate: (span: OtlpSpan) => boolean) => receiver.spans.find(predicate);
    const isActivation = (span: OtlpSpan) =>
      span.name === "run.activation" && attribute(span, "flowdeck.run.id") === runId;
    await waitFor("the spans of both processes", () =>
      Boolean(
        find((span) => span.name === "POST /runs") &&
        find(isActivation) &&
        find((span) => span.name === "chat gpt-4o-mini") &&
        find((span) => span.name === "step end"),
      ),
    );
    const request = find((span) => span.name === "POST /runs")!;
    const activation = find(isActivation)!;
    const traceId = request.traceId;
    expect(request.service).toBe("flowdeck-api");
    expect(request.kind).toBe(2); // SERVER
    expect(attribute(request, "http.request.method")).toBe("POST");
    expect(attribute(request, "http.route")).toBe("/runs");
    expect(attribute(request, "http.response.status_code")).toBe(202);

    // The worker's activation continues the request's trace, as the request span's child.
    expect(activation.service).toBe("flowdeck-worker");
    expect(activation.traceId).toBe(traceId);
    expect(activation.parentSpanId).toBe(request.spanId);
    expect(attribute(activation, "flowdeck.workflow.name")).toBe("traced_agent");
    expect(attribute(activation, "flowdeck.workflow.version")).toBe(1);
    expect(attribute(activation, "flowdeck.tenant.id")).toBeTypeOf("string");
    expect(attribute(activation, "flowdeck.conversation.id")).toBeTypeOf("string");

    const steps = receiver.spans.filter((span) => span.traceId === traceId && span.name.startsWith("step "));
    expect(steps.map((span) => attribute(span, "flowdeck.node.name")).sort()).toEqual([
      "answer",
      "done",
      "start",
    ]);
    for (const step of steps) {
      expect(step.parentSpanId).toBe(activation.spanId);
      expect(attribute(step, "flowdeck.step.outcome")).toBe("ok");
    }
    const agentStep = steps.find((span) => span.name === "step agent")!;
    const model = find((span) => span.traceId === traceId && span.name === "chat gpt-4o-mini")!;
    expect(model.parentSpanId).toBe(agentStep.spanId);
    expect(model.kind).toBe(3); // CLIENT
    expect(attribute(model, "gen_ai.operation.name")).toBe("chat");
    expect(attribute(model, "gen_ai.request.model")).toBe("gpt-4o-mini");
    expect(attribute(model, "gen_ai.response.model")).toBe("gpt-4o-mini");
    expect(attribute(model, "gen_ai.usage.input_tokens")).toBeGreaterThan(0);
    expect(attribute(model, "gen_ai.usage.output_tokens")).toBeGreaterThan(0);
    expect(attribute(model, "http.response.status_code")).toBe(200);

    // Neither the customer's words nor the model key in any span, attribute or export body.
    const exported = receiver.bodies.join("\n");
    expect(exported).not.toContain(CUSTOMER_TEXT);
    expect(exported).not.toContain(MODEL_KEY);
    expect(exported).not.toContain("We are on it.");

    // The API's log line for the request carries the trace id.
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLine = logged.find(
      (line) => line.msg === "request" && line.path === "/runs" && line.status === 202,
    );
    expect(requestLine?.trace_id).toBe(traceId);
  });

  it("traces a signed webhook served without Express: POST /webhooks/:id → activation, log line with its trace", async () => {
    const created = await api("POST", "/workflows", { yaml: ECHO_ROUTER });
    expect((await api("POST", `/workflows/${created.body.id}/publish`, {})).status).toBe(201);
    const channel = await api("POST", "/channels", { kind: "webhook", workflow: created.body.id });
    expect(channel.status).toBe(201);
    const raw = JSON.stringify({ message: "where is order 4711" });
    const called = await fetch(`${server.url}/webhooks/${channel.body.id}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "flowdeck-signature": signPayload(channel.body.webhookSecret, Math.floor(Date.now() / 1000), raw),
        "flowdeck-message-id": "traced-webhook-1",
      },
      body: raw,
    });
    expect(called.status).toBe(200);
    const runId = ((await called.json()) as JsonBody).runId as string;
    const request = () => receiver.spans.find((span) => span.name === "POST /webhooks/:id");
    const activation = () =>
      receiver.spans.find(
        (span) => span.name === "run.activation" && attribute(span, "flowdeck.run.id") === runId,
      );
    await waitFor("the webhook's spans", () => Boolean(request() && activation()));
    expect(request()!.kind).toBe(2); // SERVER
    expect(attribute(request()!, "http.route")).toBe("/webhooks/:id");
    expect(attribute(request()!, "http.response.status_code")).toBe(200);
    expect(activation()!.traceId).toBe(request()!.traceId);
    expect(activation()!.parentSpanId).toBe(request()!.spanId);
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLine = logged.find(
      (line) => line.msg === "request" && String(line.path).startsWith("/webhooks/") && line.status === 200,
    );
    expect(requestLine?.trace_id).toBe(request()!.traceId);
  });

  it("continues a chat message's trace in the worker: chat.message → run.activation, no text", async () => {
    const workflows = await api("GET", "/workflows");
    const flow = (workflows.body.items as Array<{ id: string; name: string }>).find(
      (w) => w.name === "traced_agent",
    );
    const channel = await api("POST", "/channels", {
      kind: "web",
      workflow: flow!.id,
      allowedOrigins: [SHOP_ORIGIN],
    });
    expect(channel.status).toBe(201);
    const client = await openClient(
      socketUrl({ url: server.url } as TestServer, { key: channel.body.publishableKey }),
      {
        origin: SHOP_ORIGIN,
      },
    );
    try {
      client.send({ type: "message", text: CHAT_TEXT });
      await client.next((frame) => frame.type === "reply", 30_000);
    } finally {
      client.ws.close();
    }
    // The customer's words did reach the model (the worker's flow used them), so their absence below means something.
    expect(JSON.stringify(models.requests.map((request) => request.messages))).toContain(CHAT_TEXT);
    const message = () =>
      receiver.spans.find(
        (span) => span.name === "chat.message" && attribute(span, "flowdeck.chat.frame") === "message",
      );
    const activationOf = (traceId: string) =>
      receiver.spans.find((span) => span.name === "run.activation" && span.traceId === traceId);
    await waitFor("the chat message's spans", () => Boolean(message() && activationOf(message()!.traceId)));
    const chat = message()!;
    const activation = activationOf(chat.traceId)!;
    expect(chat.service).toBe("flowdeck-api");
    expect(chat.parentSpanId ?? "").toBe("");
    expect(activation.service).toBe("flowdeck-worker");
    expect(activation.parentSpanId).toBe(chat.spanId);
    expect(attribute(activation, "flowdeck.conversation.id")).toBeTypeOf("string");
    const exported = receiver.bodies.join("\n");
    expect(exported).not.toContain(CHAT_TEXT);
    expect(exported).not.toContain("ada@example.com");
    expect(exported).not.toContain(MODEL_KEY);
  });
});
