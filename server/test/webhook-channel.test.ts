import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import { createChannel, ECHO_ROUTER, eventually, GREETER, publishFlow } from "./chat-support";
import { signPayload, verifySignature } from "../src/webhooks/webhook-signature";

interface Received {
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

describe.each(TEST_DATABASE_KINDS)("webhook channels on %s", (kind) => {
  let server: TestServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let failNext = 0;
  let token: string;
  let chatChannel: JsonBody;
  let echoChannel: JsonBody;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (failNext > 0) {
          failNext -= 1;
          res.writeHead(503).end();
          return;
        }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/flowdeck`;
    server = await startTestServer(
      kind,
      {},
      { chat: { outboundAllowList: ["127.0.0.1"], outboundBackoffMs: 20, outboundSweepIntervalMs: 50 } },
    );
    token = (await registerAccount(server)).body.accessToken;
    const greeter = await publishFlow(server, token, GREETER);
    chatChannel = await createChannel(server, token, {
      kind: "webhook",
      workflow: greeter,
      outboundUrl: receiverUrl,
    });
    const echo = await publishFlow(server, token, ECHO_ROUTER);
    echoChannel = await createChannel(server, token, { kind: "webhook", workflow: echo });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  function post(
    channel: JsonBody,
    payload: unknown,
    options: { messageId: string; secret?: string; timestamp?: number; signature?: string },
  ) {
    const raw = JSON.stringify(payload);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return server.request("POST", `/webhooks/${channel.id}`, {
      rawBody: raw,
      headers: {
        "flowdeck-signature":
          options.signature ?? signPayload(options.secret ?? channel.webhookSecret, timestamp, raw),
        "flowdeck-message-id": options.messageId,
      },
    });
  }

  const runCount = async (channelId: string) =>
    server.testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM runs WHERE channel = $1",
        [`webhook:${channelId}`],
      );
      return rows[0]!.n;
    });

  it("keeps the signing secret sealed at rest and shows it once", async () => {
    expect(chatChannel.webhookSecret).toMatch(/^whsec_/);
    const stored = await server.testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ secret_box: string }>(
        "SELECT secret_box FROM channels WHERE id = $1",
        [chatChannel.id],
      );
      return rows[0]!.secret_box;
    });
    expect(stored.startsWith("v1:")).toBe(true);
    expect(stored).not.toContain(chatChannel.webhookSecret.slice(6));
    const shown = await server.request("GET", `/channels/${chatChannel.id}`, { token });
    expect(shown.text).not.toContain("whsec_");
  });

  it("refuses a bad signature, an old timestamp and a replayed message id, and runs nothing twice", async () => {
    const payload = { text: "hello" };
    const bad = await post(chatChannel, payload, { messageId: "m-bad", secret: "whsec_wrong" });
    expect([bad.status, bad.body.error.code]).toEqual([401, "FD374"]);
    const old = await post(chatChannel, payload, {
      messageId: "m-old",
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect([old.status, old.body.error.code]).toEqual([401, "FD375"]);
    const unsigned = await server.request("POST", `/webhooks/${chatChannel.id}`, {
      body: payload,
      headers: { "flowdeck-message-id": "m-x" },
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.message).toMatch(/Flowdeck-Signature header is missing/);
    // A body changed after signing fails too: the signature covers the bytes.
    const timestamp = Math.floor(Date.now() / 1000);
    const tampered = await post(
      chatChannel,
      { text: "hello!" },
      {
        messageId: "m-t",
        signature: signPayload(chatChannel.webhookSecret, timestamp, JSON.stringify(payload)),
      },
    );
    expect(tampered.status).toBe(401);
    expect(await runCount(chatChannel.id)).toBe(0);

    const first = await post(chatChannel, payload, { messageId: "m-1" });
    expect(first.status).toBe(202);
    const replay = await post(chatChannel, payload, { messageId: "m-1" });
    expect([replay.status, replay.body.error.code]).toEqual([409, "FD376"]);
    await eventually(() => received.length >= 1, 10_000, "the outbound reply");
    expect(await runCount(chatChannel.id)).toBe(1);
    expect(received).toHaveLength(1);
  }, 20_000);

  it("delivers replies to the channel URL, signed with the channel secret, retrying a failing receiver", async () => {
    const reply = JSON.parse(received[0]!.body);
    expect(reply).toMatchObject({ type: "reply", text: "What's your name?", author: "bot" });
    const check = verifySignature(
      chatChannel.webhookSecret,
      String(received[0]!.headers["flowdeck-signature"]),
      Buffer.from(received[0]!.body),
      {
        nowSeconds: Math.floor(Date.now() / 1000),
        toleranceSeconds: 300,
      },
    );
    expect(check).toEqual({ ok: true });
    expect(received[0]!.headers["flowdeck-message-id"]).toBe(reply.id);

    failNext = 2;
    const answer = await post(
      chatChannel,
      { text: "Grace", conversationId: reply.conversationId },
      { messageId: "m-2" },
    );
    expect(answer.status).toBe(202);
    await eventually(() => received.length >= 2, 10_000, "the retried delivery");
    expect(JSON.parse(received[1]!.body)).toMatchObject({
      text: "Nice to meet you, Grace.",
      conversationId: reply.conversationId,
    });
    expect(failNext).toBe(0);
    expect(await runCount(chatChannel.id)).toBe(1);
  }, 20_000);

  it("answers a webhook-triggered flow synchronously with its output", async () => {
    const order = await post(echoChannel, { message: "where is my order?" }, { messageId: "e-1" });
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      status: "completed",
      output: { output: { route: "order", echo: "where is my order?" } },
    });
    // Stored with its first commit, at its end (it has no step with an effect): a run like any other.
    const stored = await server.request("GET", `/runs/${order.body.runId}`, { token });
    expect(stored.body).toMatchObject({ status: "completed", channel: `webhook:${echoChannel.id}` });
    const log = await server.request("GET", `/runs/${order.body.runId}/events`, { token });
    const types = (log.body.items as Array<{ type: string }>).map((e) => e.type);
    expect(types[0]).toBe("run.created");
    expect(types.at(-1)).toBe("run.completed");
    const other = await post(echoChannel, { message: "hello" }, { messageId: "e-2" });
    expect(other.body.output.output.route).toBe("other");
    const again = await post(echoChannel, { message: "hello" }, { messageId: "e-2" });
    expect(again.status).toBe(409);
    expect(await runCount(echoChannel.id)).toBe(2);
  }, 20_000);

  it("refuses a payload without what the start node declares (422 FD344 naming it), running nothing", async () => {
    const before = await runCount(echoChannel.id);
    const missing = await post(echoChannel, { text: "where is my order?" }, { messageId: "e-missing" });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({
      code: "FD344",
      message: "input.message is required (string).",
      details: { problems: [{ path: "input.message" }] },
    });
    const mistyped = await post(echoChannel, { message: 42 }, { messageId: "e-mistyped" });
    expect(mistyped.body.error.message).toBe("input.message must be a string.");
    expect(await runCount(echoChannel.id)).toBe(before);
    // Nothing was claimed: the sender's corrected retry with the same message id runs.
    const fixed = await post(echoChannel, { message: "where is my order?" }, { messageId: "e-missing" });
    expect(fixed.status).toBe(200);
  }, 20_000);

  // The subflow's step fails like any step (it used to escape the engine, storing nothing): a failed run keeps its
  // trace, so staff can open it, and its message id is taken.
  it("answers 502 with the engine's code when the published flow cannot run, and keeps the failed run", async () => {
    const broken = await publishFlow(
      server,
      token,
      `name: hook_broken
trigger: { type: webhook }
nodes:
  - { name: start, type: start }
  - { name: call, type: subflow, config: { workflow: nowhere_to_be_found } }
  - { name: done, type: end }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
`,
    );
    const channel = await createChannel(server, token, { kind: "webhook", workflow: broken });
    const answer = await post(channel, { message: "hi" }, { messageId: "b-1" });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({
      runId: expect.any(String),
      status: "failed",
      error: { code: "FD203" },
    });
    expect(await runCount(channel.id as string)).toBe(1);
    const again = await post(channel, { message: "hi" }, { messageId: "b-1" });
    expect([again.status, again.body.error?.code, await runCount(channel.id as string)]).toEqual([
      409,
      "FD376",
      1,
    ]);
  }, 20_000);

  it("takes a newly published version, a pin and a rotated secret from the very next call", async () => {
    const workflowId = await publishFlow(
      server,
      token,
      ECHO_ROUTER.replace("echo_router", "echo_router_two"),
    );
    const channel = await createChannel(server, token, { kind: "webhook", workflow: workflowId });
    const route = async (messageId: string, secret?: string) => {
      const res = await post(channel, { message: "hello" }, { messageId, ...(secret ? { secret } : {}) });
      return res.status === 200 ? (res.body.output.output.route as string) : res.status;
    };
    expect(await route("n-1")).toBe("other");

    // Each change below lands well within the time a lookup is trusted; a change made through this process
    // must still show on the next call.
    const draft = await server.request("GET", `/workflows/${workflowId}`, { token });
    const saved = await server.request("PUT", `/workflows/${workflowId}/draft`, {
      token,
      body: {
        yaml: ECHO_ROUTER.replace("echo_router", "echo_router_two").replace(
          "route: other,",
          "route: elsewhere,",
        ),
      },
      headers: { "if-match": draft.headers.etag as string },
    });
    expect(saved.status).toBe(200);
    expect(
      (await server.request("POST", `/workflows/${workflowId}/publish`, { token, body: {} })).status,
    ).toBe(201);
    expect(await route("n-2")).toBe("elsewhere");

    const pinned = await server.request("PATCH", `/channels/${channel.id}`, {
      token,
      body: { pinnedVersion: 1 },
    });
    expect(pinned.status).toBe(200);
    expect(await route("n-3")).toBe("other");

    const rotated = await server.request("POST", `/channels/${channel.id}/rotate`, { token });
    expect(rotated.status).toBe(200);
    expect(await route("n-4")).toBe(401);
    expect(await route("n-5", rotated.body.webhookSecret as string)).toBe("other");
  }, 20_000);

  it("answers 404 for an unknown or deleted channel", async () => {
    const unknown = await post(
      { id: "3f0c6a52-9d1b-4e55-8f63-2a7d3c1b9e40", webhookSecret: "whsec_x" },
      { text: "x" },
      { messageId: "u-1" },
    );
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "FD372"]);
    expect((await server.request("DELETE", `/channels/${echoChannel.id}`, { token })).status).toBe(204);
    const gone = await post(echoChannel, { message: "order" }, { messageId: "e-3" });
    expect(gone.status).toBe(404);
  });
});
