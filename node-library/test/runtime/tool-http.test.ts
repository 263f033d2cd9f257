import { describe, expect, it } from "vitest";
import type { ExecutionContext, HttpRequest, HttpResponse, RunScope } from "../../src/runtime/index";
import { redactedUrl, toolHttpExecutor, withQuery } from "../../src/runtime/executors/tool-http";

type Config = Parameters<typeof toolHttpExecutor>[1];

const SCOPE: RunScope = {
  input: { message: "where is my order?", order_id: "A-1 & 2" },
  vars: {
    token: "tok_123",
    // Customer-supplied text that looks like a template: it must reach the wire literally.
    hostile: "{{ vars.token }}",
    name: "Zoë",
  },
  nodes: { lookup: { output: { tracking: "1Z/99" } } },
  conversation: { id: "conv-1", channel: "test", history: [] },
  tenant: { id: "tenant-1", name: "Acme" },
};

/**
 * A context whose `render` substitutes `{{ dotted.path }}` from SCOPE and records every template it is given,
 * and whose `http` records requests and answers with `reply`.
 */
function fakeContext(reply: Partial<HttpResponse> | Error = {}) {
  const rendered: string[] = [];
  const requests: HttpRequest[] = [];
  const controller = new AbortController();
  const fail = (what: string) => () => {
    throw new Error(`tool.http must not use ${what}`);
  };
  const ctx: ExecutionContext = {
    signal: controller.signal,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    tenant: SCOPE.tenant,
    runId: "run-1",
    stepId: "main/call#1",
    idempotencyKey: "run-1:main/call#1",
    node: { name: "call", type: "tool.http" },
    attempt: 1,
    scope: SCOPE,
    models: { provider: "none", offline: true, complete: fail("models") },
    http: {
      async request(request) {
        requests.push(request);
        if (reply instanceof Error) throw reply;
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: '{"ok":true}',
          ...reply,
        };
      },
    },
    services: new Proxy({} as ExecutionContext["services"], { get: fail("services") }),
    async render(template) {
      rendered.push(template);
      return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, path: string) => {
        const value = path
          .split(".")
          .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], SCOPE);
        return value === undefined || value === null ? "" : String(value);
      });
    },
    evaluate: fail("evaluate"),
    emit: fail("emit"),
    tools: { describe: () => [], invoke: fail("tools") },
  };
  return { ctx, rendered, requests, signal: controller.signal };
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; status?: number };
  }
  throw new Error("expected the executor to fail");
}

describe("tool.http executor: building the request", () => {
  it("renders url, headers and query through ctx.render and appends the query, encoded", async () => {
    const { ctx, rendered, requests } = fakeContext();
    const config: Config = {
      url: "https://api.example.com/v1/track/{{ nodes.lookup.output.tracking }}",
      headers: { Authorization: "Bearer {{ vars.token }}" },
      query: { order: "{{ input.order_id }}", name: "{{ vars.name }}", q: "a=b?c#d" },
    };
    await toolHttpExecutor(ctx, config);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe(
      "https://api.example.com/v1/track/1Z/99?order=A-1%20%26%202&name=Zo%C3%AB&q=a%3Db%3Fc%23d",
    );
    expect(requests[0]!.headers).toMatchObject({
      Authorization: "Bearer tok_123",
      Accept: "application/json",
    });
    expect(rendered).toEqual([
      config.url,
      "{{ input.order_id }}",
      "{{ vars.name }}",
      "a=b?c#d",
      "Bearer {{ vars.token }}",
    ]);
  });

  it("keeps the URL's own query byte for byte and appends after it", async () => {
    const { ctx, requests } = fakeContext();
    await toolHttpExecutor(ctx, { url: "https://s3.example.com/f?X-Sig=a%2Fb+c&x=", query: { page: "2" } });
    expect(requests[0]!.url).toBe("https://s3.example.com/f?X-Sig=a%2Fb+c&x=&page=2");
  });

  it("sends rendered values literally: template-looking data is never rendered a second time", async () => {
    const { ctx, rendered, requests } = fakeContext();
    await toolHttpExecutor(ctx, {
      method: "POST",
      url: "https://api.example.com/notes",
      query: { note: "{{ vars.hostile }}" },
      headers: { "X-Note": "{{ vars.hostile }}" },
      body: '{"note":"{{ vars.hostile }}"}',
    });
    const request = requests[0]!;
    expect(new URL(request.url).searchParams.get("note")).toBe("{{ vars.token }}");
    expect(request.headers?.["X-Note"]).toBe("{{ vars.token }}");
    expect(request.body).toBe('{"note":"{{ vars.token }}"}');
    expect(rendered).not.toContain("{{ vars.token }}");
    expect(JSON.stringify(request)).not.toContain("tok_123");
  });

  it("passes the config's limits and the step's signal, with the documented defaults", async () => {
    const first = fakeContext();
    await toolHttpExecutor(first.ctx, { url: "https://api.example.com/" });
    expect(first.requests[0]).toMatchObject({
      method: "GET",
      timeoutMs: 10_000,
      maxResponseBytes: 1_000_000,
      followRedirects: true,
      maxRedirects: 5,
    });
    expect(first.requests[0]!.signal).toBe(first.signal);
    const second = fakeContext();
    await toolHttpExecutor(second.ctx, {
      url: "https://api.example.com/",
      timeout_ms: 2500,
      max_response_bytes: 4096,
      follow_redirects: false,
      max_redirects: 1,
    });
    expect(second.requests[0]).toMatchObject({
      timeoutMs: 2500,
      maxResponseBytes: 4096,
      followRedirects: false,
      maxRedirects: 1,
    });
  });

  it("sends a POST body with a JSON content type and the step's idempotency key", async () => {
    const { ctx, requests } = fakeContext();
    await toolHttpExecutor(ctx, {
      method: "POST",
      url: "https://hooks.example.com/csat",
      body: '{"score": 5}',
    });
    expect(requests[0]).toMatchObject({ method: "POST", body: '{"score": 5}' });
    expect(requests[0]!.headers).toMatchObject({
      "Content-Type": "application/json",
      "Idempotency-Key": "run-1:main/call#1",
    });
  });

  it("keeps the node's own Content-Type and Idempotency-Key, and labels plain text as such", async () => {
    const own = fakeContext();
    await toolHttpExecutor(own.ctx, {
      method: "PUT",
      url: "https://api.example.com/x",
      headers: { "content-type": "application/xml", "idempotency-key": "mine" },
      body: "<a/>",
    });
    expect(own.requests[0]!.headers).toEqual({
      "content-type": "application/xml",
      "idempotency-key": "mine",
      Accept: "application/json",
    });
    const text = fakeContext();
    await toolHttpExecutor(text.ctx, { method: "PATCH", url: "https://api.example.com/x", body: "hello" });
    expect(text.requests[0]!.headers?.["Content-Type"]).toBe("text/plain; charset=utf-8");
  });

  it("ignores the body of a GET or DELETE and sends no idempotency key with a GET", async () => {
    const get = fakeContext();
    await toolHttpExecutor(get.ctx, { method: "GET", url: "https://api.example.com/", body: "ignored" });
    expect(get.requests[0]!.body).toBeUndefined();
    expect(get.requests[0]!.headers?.["Idempotency-Key"]).toBeUndefined();
    expect(get.rendered).not.toContain("ignored");
    const del = fakeContext();
    await toolHttpExecutor(del.ctx, {
      method: "DELETE",
      url: "https://api.example.com/x/1",
      body: "ignored",
    });
    expect(del.requests[0]!.method).toBe("DELETE");
    expect(del.requests[0]!.body).toBeUndefined();
    expect(del.requests[0]!.headers?.["Idempotency-Key"]).toBe("run-1:main/call#1");
  });

  it("fails with FD244 when the url does not render to an absolute URL, without calling out", async () => {
    const { ctx, requests } = fakeContext();
    const error = await failure(toolHttpExecutor(ctx, { url: "{{ vars.missing }}/path" }));
    expect(error.code).toBe("FD244");
    expect(requests).toHaveLength(0);
  });
});

describe("tool.http executor: the result", () => {
  it("returns status, headers and the parsed JSON body; a GET is not an effect", async () => {
    const { ctx } = fakeContext({ body: '{"status":"shipped","eta":"2026-12-01"}' });
    const result = await toolHttpExecutor(ctx, { url: "https://api.example.com/o?key={{ vars.token }}" });
    expect(result).toEqual({
      output: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: { status: "shipped", eta: "2026-12-01" },
      },
      port: "out",
      effect: false,
      details: { method: "GET", url: "https://api.example.com/o?key=***", status: 200, bytes: 39 },
    });
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"] as const)("marks a %s as an effect", async (method) => {
    const { ctx } = fakeContext({ status: 204, body: "" });
    const result = await toolHttpExecutor(ctx, { method, url: "https://api.example.com/x" });
    expect(result.effect).toBe(true);
    expect(result.output).toMatchObject({ status: 204, body: null });
  });

  it("keeps the body as text with response_type: text", async () => {
    const { ctx } = fakeContext({
      body: "plain {{ not a template }}",
      headers: { "content-type": "text/plain" },
    });
    const result = await toolHttpExecutor(ctx, { url: "https://api.example.com/", response_type: "text" });
    expect(result.output).toMatchObject({ body: "plain {{ not a template }}" });
  });

  it("fails with FD250 when a JSON response is not JSON", async () => {
    const { ctx } = fakeContext({ body: "<html>login</html>", headers: { "content-type": "text/html" } });
    const error = await failure(
      toolHttpExecutor(ctx, { url: "https://api.example.com/?token={{ vars.token }}" }),
    );
    expect(error).toMatchObject({ code: "FD250", status: 200 });
    expect(error.message).toBe(
      "The response from https://api.example.com/?token=*** is not valid JSON (Content-Type: text/html).",
    );
  });

  it("fails with FD251 on a status of 400 or above, so retries and the error port apply", async () => {
    const { ctx } = fakeContext({ status: 404, body: '{"error":"nope"}' });
    const error = await failure(
      toolHttpExecutor(ctx, { url: "https://api.example.com/o/1?api_key={{ vars.token }}" }),
    );
    expect(error).toMatchObject({ code: "FD251", status: 404 });
    expect(error.message).toBe("GET https://api.example.com/o/1?api_key=*** answered 404 Not Found.");
  });

  it("returns a 3xx on the out port when redirects are not followed", async () => {
    const { ctx } = fakeContext({
      status: 302,
      headers: { location: "https://elsewhere.example/" },
      body: "",
    });
    const result = await toolHttpExecutor(ctx, { url: "https://api.example.com/", follow_redirects: false });
    expect(result).toMatchObject({
      port: "out",
      output: { status: 302, headers: { location: "https://elsewhere.example/" } },
    });
  });

  it("lets the client's coded errors through unchanged (FD240 refused address)", async () => {
    const refused = Object.assign(new Error("Refused to connect to 127.0.0.1: it is a loopback address."), {
      code: "FD240",
    });
    const { ctx } = fakeContext(refused);
    await expect(toolHttpExecutor(ctx, { url: "http://127.0.0.1/" })).rejects.toBe(refused);
  });
});

describe("URL helpers", () => {
  it("redacts every query value but keeps the names", () => {
    expect(redactedUrl(new URL("https://u:p@api.example.com:8443/a/b?key=s3cret&x=1&x=2#frag"))).toBe(
      "https://api.example.com:8443/a/b?key=***&x=***&x=***",
    );
    expect(redactedUrl(new URL("http://api.example.com/"))).toBe("http://api.example.com/");
  });

  it("appends nothing when there are no parameters", () => {
    const url = new URL("https://api.example.com/?a=1");
    expect(withQuery(url, []).toString()).toBe("https://api.example.com/?a=1");
    expect(withQuery(new URL("https://api.example.com/"), [["a b", "c d"]]).toString()).toBe(
      "https://api.example.com/?a%20b=c%20d",
    );
  });
});
