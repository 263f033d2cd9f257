import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastPathsOf } from "../src/app/http-server";
import { signPayload } from "../src/webhooks/webhook-signature";
import { createChannel, ECHO_ROUTER, GREETER, publishFlow } from "./chat-support";
import {
  registerAccount,
  requestAt,
  startTestServer,
  type JsonBody,
  type RequestOptions,
  type TestResponse,
  type TestServer,
} from "./support/test-server";

const BODY_LIMIT_BYTES = 4096;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
// Headers that differ between any two answers (time, length of an answer with other ids), not by the path taken.
const PER_ANSWER_HEADERS = new Set(["date", "connection", "keep-alive", "content-length", "x-request-id"]);

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

/** An answer with its ids replaced, and the headers that do not vary per answer. */
function comparable(res: TestResponse) {
  const headers = Object.fromEntries(
    Object.entries(res.headers).filter(([name]) => !PER_ANSWER_HEADERS.has(name)),
  );
  return { status: res.status, headers, body: res.text.replace(UUID, "<id>") };
}

describe("signed webhooks without Express (webhook-fast-path.ts)", () => {
  let server: TestServer;
  let expressOnly: Server;
  let fastOnly: Server;
  let expressPort: number;
  let fastPort: number;
  let echo: JsonBody;
  let greeter: JsonBody;
  let calls = 0;

  beforeAll(async () => {
    server = await startTestServer("pg", { bodyLimitBytes: BODY_LIMIT_BYTES });
    const token = (await registerAccount(server)).body.accessToken as string;
    echo = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, ECHO_ROUTER),
    });
    greeter = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, GREETER),
    });
    // The same app twice more: through Express alone, and through its fast paths alone, where a request they
    // leave to Express gets 599 instead.
    expressOnly = createServer(server.app);
    const fastPaths = fastPathsOf(server.app);
    if (fastPaths.length !== 1) throw new Error(`createApp stored ${fastPaths.length} fast paths, not 1`);
    fastOnly = createServer((req, res) => {
      if (fastPaths.some((fast) => fast(req, res))) return;
      req.resume();
      res.writeHead(599).end("left to Express");
    });
    expressPort = await listen(expressOnly);
    fastPort = await listen(fastOnly);
  }, 60_000);

  afterAll(async () => {
    expressOnly?.closeAllConnections();
    fastOnly?.closeAllConnections();
    expressOnly?.close();
    fastOnly?.close();
    await server?.close();
  });

  /** A signed call; `messageId` defaults to a fresh one. */
  function signed(
    channel: JsonBody,
    raw: string,
    options: {
      messageId?: string | null;
      /** The Flowdeck-Signature header as sent; null leaves it out. Default: signed with the channel's secret. */
      signature?: string | null;
      secret?: string;
      timestamp?: number;
      headers?: Record<string, string>;
    } = {},
  ): RequestOptions {
    calls += 1;
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const messageId = options.messageId === undefined ? `call-${calls}-${Date.now()}` : options.messageId;
    const signature =
      options.signature === undefined
        ? signPayload(options.secret ?? (channel.webhookSecret as string), timestamp, raw)
        : options.signature;
    return {
      rawBody: raw,
      headers: {
        ...(signature === null ? {} : { "flowdeck-signature": signature }),
        ...(messageId === null ? {} : { "flowdeck-message-id": messageId }),
        ...options.headers,
      },
    };
  }

  /** The same call (its own message id on each side) through Express and through the fast path. */
  async function both(channel: JsonBody, raw: string, options: Parameters<typeof signed>[2] = {}) {
    const path = `/webhooks/${String(channel.id)}`;
    const viaExpress = await requestAt(expressPort, "POST", path, signed(channel, raw, options));
    const viaFast = await requestAt(fastPort, "POST", path, signed(channel, raw, options));
    expect(viaFast.status).not.toBe(599);
    expect(comparable(viaFast)).toEqual(comparable(viaExpress));
    return viaFast;
  }

  it("runs a webhook flow and answers as the Express route does, headers included", async () => {
    const res = await both(echo, JSON.stringify({ message: "where is my order?" }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "completed", output: { output: { route: "order" } } });
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("answers every refusal with the same code, status and headers", async () => {
    const body = JSON.stringify({ message: "hi" });
    const codes = [
      [await both(echo, body, { secret: "whsec_wrong" }), "FD374", 401],
      [await both(echo, body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), "FD375", 401],
      [await both(echo, body, { messageId: null }), "FD300", 400],
      [await both(echo, "[1, 2]"), "FD300", 400],
      [await both(echo, '{"message": '), "FD301", 400],
      [await both(echo, '"just a string"'), "FD301", 400],
      [await both(echo, JSON.stringify({ message: "x".repeat(BODY_LIMIT_BYTES) })), "FD302", 413],
      [await both({ ...echo, id: "00000000-0000-4000-8000-000000000000" }, body), "FD372", 404],
      [await both(greeter, JSON.stringify({ text: "" })), "FD373", 400],
    ] as const;
    for (const [res, code, status] of codes) {
      expect({ code: (res.body as JsonBody).error?.code, status: res.status }).toEqual({ code, status });
    }
  });

  it("says what is wrong and where (header or body field) in each refusal, on both paths", async () => {
    const body = JSON.stringify({ message: "hi" });
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      [
        () => both(echo, body, { signature: null }),
        "FD374",
        /Flowdeck-Signature header is missing/,
        /t=<unix seconds>,v1=/,
      ],
      [
        () => both(echo, body, { signature: "sha256=abc" }),
        "FD374",
        /Flowdeck-Signature header is not t=/,
        /HMAC-SHA256/,
      ],
      [() => both(echo, body, { secret: "whsec_wrong" }), "FD374", /does not match/, /whsec_/],
      [() => both(echo, body, { timestamp: now - 3600 }), "FD375", /more than 300 s old/, /±300 s/],
      [() => both(echo, body, { timestamp: now + 3600 }), "FD375", /more than 300 s in the future/, /clock/],
      [
        () => both(echo, body, { messageId: null }),
        "FD300",
        /Flowdeck-Message-Id header is missing/,
        /Flowdeck-Message-Id/,
      ],
      [
        () => both(echo, body, { messageId: "has a space" }),
        "FD300",
        /Flowdeck-Message-Id header must be/,
        /Flowdeck-Message-Id/,
      ],
      [() => both(echo, "[1, 2]"), "FD300", /body must be a JSON object/, /webhook-triggered flow/],
      [() => both(greeter, "[1, 2]"), "FD300", /body must be a JSON object/, /"text"/],
      [() => both(greeter, JSON.stringify({ text: "" })), "FD373", /body field text/, /"text"/],
      [
        () => both(greeter, JSON.stringify({ text: "hi", conversationId: "no!" })),
        "FD300",
        /body field conversationId/,
        /conversationId/,
      ],
      [
        () => both({ ...echo, id: "00000000-0000-4000-8000-000000000000" }, body),
        "FD372",
        /No such webhook channel/,
        /\/webhooks\/<channel id>/,
      ],
    ] as const;
    for (const [answer, code, message, hint] of cases) {
      const { error } = (await answer()).body as { error: { code: string; message: string; hint: string } };
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.hint).toMatch(hint);
      // FD300's general hint sent people to fix the body when a header was wrong.
      expect(error.hint).not.toMatch(/Fix the request body/);
    }
  });

  it("refuses a replayed message id on the fast path as on Express", async () => {
    const raw = JSON.stringify({ message: "hello" });
    const path = `/webhooks/${String(echo.id)}`;
    const once = signed(echo, raw, { messageId: "replayed-once" });
    expect((await requestAt(fastPort, "POST", path, once)).status).toBe(200);
    const again = await requestAt(fastPort, "POST", path, once);
    const viaExpress = await requestAt(expressPort, "POST", path, once);
    expect(again.status).toBe(409);
    expect(comparable(again)).toEqual(comparable(viaExpress));
    expect((again.body as JsonBody).error?.hint).toMatch(/Flowdeck-Message-Id/);
  });

  it("reads an empty body, a byte-order mark and a charset as Express's JSON parser does", async () => {
    const empty = await both(echo, "");
    expect(empty.status).not.toBe(200); // {} lacks the required input
    const bom = await both(echo, `\ufeff${JSON.stringify({ message: "order with a BOM" })}`);
    expect(bom.status).toBe(200);
    const charset = await both(echo, JSON.stringify({ message: "hello" }), {
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(200);
  });

  it("accepts a chat message and keeps the caller's request id", async () => {
    const res = await both(greeter, JSON.stringify({ text: "hello" }), {
      headers: { "x-request-id": "trace-me-42" },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "accepted" });
    expect(res.headers["x-request-id"]).toBe("trace-me-42");
    const logged = server.logLines.filter((line) => line.includes('"requestId":"trace-me-42"'));
    expect(logged.some((line) => line.includes('"status":202') && line.includes("/webhooks/"))).toBe(true);
  });

  it("counts its answers under the route pattern in /metrics", async () => {
    const count = async () => {
      const res = await server.request("GET", "/metrics");
      const line = res.text
        .split("\n")
        .find(
          (l) =>
            l.startsWith("flowdeck_http_requests_total") &&
            l.includes('route="/webhooks/:id"') &&
            l.includes('status="200"'),
        );
      return Number(line?.split(" ").pop() ?? 0);
    };
    const before = await count();
    const raw = JSON.stringify({ message: "hello" });
    expect(
      (await requestAt(fastPort, "POST", `/webhooks/${String(echo.id)}`, signed(echo, raw))).status,
    ).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it("leaves a browser's call, another encoding or type and path variants to Express", async () => {
    const raw = JSON.stringify({ message: "hello" });
    const path = `/webhooks/${String(echo.id)}`;
    const left = [
      ["POST", path, signed(echo, raw, { headers: { origin: "https://shop.example" } })],
      ["POST", path, signed(echo, raw, { headers: { "content-type": "text/plain" } })],
      ["POST", path, signed(echo, raw, { headers: { "content-type": "application/json; charset=latin1" } })],
      ["POST", path, signed(echo, raw, { headers: { "content-encoding": "gzip" } })],
      ["POST", `${path}/`, signed(echo, raw)],
      ["POST", `/webhooks/%61bc`, signed(echo, raw)],
      ["PUT", path, signed(echo, raw)],
    ] as const;
    for (const [method, at, options] of left) {
      expect((await requestAt(fastPort, method, at, options)).status, `${method} ${at}`).toBe(599);
    }
  });
});
