import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolHttpError } from "@flowdeck/node-library/runtime";
import { EngineError } from "../../src/engine/engine-errors";
import { createSafeHttpClient, HttpError, type ManagedSafeHttpClient } from "../../src/http";
import { ModelError } from "../../src/models/model-errors";
import { isRetryable } from "../../src/resilience/retryable";
import { StoreError } from "../../src/store/store-errors";
import { startLoopbackServer, type LoopbackServer } from "../http/loopback-server";
import { createHarness, type Harness } from "../support/harness";

// A node's `retry` is spent only on failures another try can change (issue 16): a 404, a refused host or a
// template over its limit run once; a 503, a 429 and a timeout are tried three times.
const FETCHER = `name: fetcher
nodes:
  - { name: start, type: start }
  - name: fetch
    type: tool.http
    config: { url: "{{ input.url }}{{ input.pad }}{{ input.pad }}", timeout_ms: 1000 }
    retry: { attempts: 3, backoff_ms: 1 }
  - { name: done, type: end }
  - { name: failed, type: end, config: { outcome: unresolved } }
edges:
  - { from: start, to: fetch }
  - { from: fetch, to: done }
  - { from: fetch, to: failed, port: error }
`;

describe("step retries only where they can help", () => {
  let h: Harness;
  let server: LoopbackServer;
  let client: ManagedSafeHttpClient;
  beforeAll(async () => {
    server = await startLoopbackServer({
      "/unavailable": (_request, response) => response.writeHead(503).end("{}"),
      "/busy": (_request, response) => response.writeHead(429).end("{}"),
      "/bad": (_request, response) => response.writeHead(400).end("{}"),
      "/slow": () => undefined, // never answers: the client's timeout_ms ends each try
      "/ok": (_request, response) =>
        response.writeHead(200, { "content-type": "application/json" }).end("{}"),
    });
    client = createSafeHttpClient({ allowList: ["127.0.0.1"] });
    h = await createHarness({ kind: "pglite", workflows: [FETCHER], http: client });
  });
  afterAll(async () => {
    await h.close();
    await client.close();
    await server.close();
  });

  async function fetchOnce(input: Record<string, unknown>) {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("fetcher"), input });
    const [step] = (await h.store.listSteps(h.tenantId, run.id)).filter((s) => s.nodeName === "fetch");
    const retries = (await h.store.listEvents(h.tenantId, run.id)).filter((e) => e.type === "step.retrying");
    return { run, step, retries: retries.length };
  }

  const hits = (path: string) => server.requests.filter((r) => r.url === path).length;

  it.each([
    ["a 404", "/missing", "FD251"],
    ["a 400", "/bad", "FD251"],
  ])("%s runs once and takes the error edge", async (_label, path, code) => {
    const before = server.requests.length;
    const { run, step, retries } = await fetchOnce({ url: server.url(path) });
    expect(run).toMatchObject({ status: "completed", output: { outcome: "unresolved" } });
    expect(step).toMatchObject({ attempt: 1, error: { code } });
    expect(retries).toBe(0);
    expect(server.requests.length - before).toBe(1);
    expect(hits(path)).toBe(1);
  });

  it("a refused host (SSRF, FD240) runs once and connects nowhere", async () => {
    const before = server.requests.length;
    const { step, retries } = await fetchOnce({ url: "http://169.254.169.254/latest/meta-data" });
    expect(step).toMatchObject({ attempt: 1, error: { code: "FD240" } });
    expect(retries).toBe(0);
    expect(server.requests.length).toBe(before);
  });

  it("a template over its limit (FD214) runs once and sends nothing", async () => {
    const before = server.requests.length;
    const { step, retries } = await fetchOnce({ url: server.url("/ok?x="), pad: "y".repeat(600_000) });
    expect(step).toMatchObject({ attempt: 1, error: { code: "FD214" } });
    expect(retries).toBe(0);
    expect(server.requests.length).toBe(before);
  });

  it.each([
    ["a 503", "/unavailable", "FD251"],
    ["a 429", "/busy", "FD251"],
    ["a timeout", "/slow", "FD243"],
  ])("%s is tried three times", async (_label, path, code) => {
    const { run, step, retries } = await fetchOnce({ url: server.url(path) });
    expect(run).toMatchObject({ status: "completed", output: { outcome: "unresolved" } });
    expect(step).toMatchObject({ attempt: 3, error: { code } });
    expect(retries).toBe(2);
    expect(hits(path)).toBe(3);
  });
});

describe("errors say whether another try can help, as a typed property", () => {
  it("classifies by kind and code, never by message", () => {
    expect(new HttpError("FD240", "refused").retryable).toBe(false);
    expect(new HttpError("FD244", "bad url").retryable).toBe(false);
    expect(new HttpError("FD243", "timed out").retryable).toBe(true);
    expect(new HttpError("FD245", "unreachable").retryable).toBe(true);
    expect(new ToolHttpError("FD251", "404", 404).retryable).toBe(false);
    expect(new ToolHttpError("FD251", "409", 409).retryable).toBe(false);
    expect([408, 429, 500, 503].map((s) => new ToolHttpError("FD251", "x", s).retryable)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(new ToolHttpError("FD250", "not json", 200).retryable).toBe(false);
    for (const code of ["FD209", "FD210", "FD211", "FD213", "FD214", "FD216", "FD217"] as const)
      expect(new EngineError(code, "x").retryable).toBe(false);
    expect(new EngineError("FD201", "timeout").retryable).toBe(true);
    expect(new StoreError("FD271", "not an email").retryable).toBe(false);
    expect(new StoreError("FD265", "closed").retryable).toBe(true);
    expect(new ModelError("FD225", "400").retryable).toBe(false);
    expect(isRetryable(new Error("a third-party failure, retryable said nowhere"))).toBe(true);
    expect(isRetryable(Object.assign(new Error("timeout"), { retryable: false }))).toBe(false);
  });
});
