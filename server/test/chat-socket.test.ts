import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import {
  createChannel,
  eventually,
  GREETER,
  openClient,
  publishFlow,
  SHOP_ORIGIN,
  socketUrl,
  upgradeStatus,
} from "./chat-support";

// 400 × the customer's message: a reply big enough to fill socket buffers quickly.
const SHOUTER = `name: shouter
nodes:
  - { name: start, type: start }
  - name: done
    type: end
    config: { reply: "{% for i in (1..100) %}{{ input.message }}{% endfor %}" }
edges:
  - { from: start, to: done }
`;

describe("/ws/chat", () => {
  let server: TestServer;
  let owner: JsonBody;
  let key: string;
  let loudKey: string;

  beforeAll(async () => {
    server = await startTestServer(
      "pg",
      {},
      { chat: { maxFrameBytes: 8 * 1024, maxBufferedBytes: 64 * 1024 } },
    );
    owner = (await registerAccount(server)).body;
    const token = owner.accessToken as string;
    const greeter = await publishFlow(server, token, GREETER);
    key = (
      await createChannel(server, token, { kind: "web", workflow: greeter, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey;
    const shouter = await publishFlow(server, token, SHOUTER);
    loudKey = (
      await createChannel(server, token, { kind: "web", workflow: shouter, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("refuses an upgrade without credentials, with a bad key or from a wrong Origin before the handshake", async () => {
    const none = await upgradeStatus(socketUrl(server, {}), { origin: SHOP_ORIGIN });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe("FD370");
    const forged = key.slice(0, -4) + "AAAA";
    expect((await upgradeStatus(socketUrl(server, { key: forged }), { origin: SHOP_ORIGIN })).status).toBe(
      401,
    );
    const evil = await upgradeStatus(socketUrl(server, { key }), { origin: "http://evil.test" });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.code).toBe("FD371");
    expect((await upgradeStatus(socketUrl(server, { key }))).status).toBe(403);
    const badToken = await upgradeStatus(socketUrl(server, { token: "nope", workflow: "x" }));
    expect(badToken.status).toBe(401);
    // The same key from the allowed Origin is let in, also as a subprotocol.
    expect((await upgradeStatus(socketUrl(server, { key }), { origin: SHOP_ORIGIN })).status).toBe(101);
    const viaProtocol = await new Promise<number>((resolve) => {
      const ws = new WebSocket(socketUrl(server, {}), ["flowdeck.v1", `flowdeck.key.${key}`], {
        headers: { origin: SHOP_ORIGIN },
      });
      ws.on("open", () => {
        ws.close();
        resolve(101);
      });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(viaProtocol).toBe(101);
    expect(server.logLines.join("\n")).not.toContain(key.split(".")[3]);
  });

  it("closes with 1009 on an oversized frame and answers an invalid frame with FD373", async () => {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "nonsense" });
    expect((await client.next((f) => f.type === "error")).code).toBe("FD373");
    client.send({ type: "message", text: "x".repeat(20_000) });
    expect((await client.closed()).code).toBe(1009);
  });

  it("chats through a published flow and a reconnect with conversationId receives the missed replies", async () => {
    const first = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    first.send({ type: "message", text: "hello" });
    const ready = await first.next((f) => f.type === "ready" && f.conversationId);
    const question = await first.next((f) => f.type === "reply");
    expect(question.text).toBe("What's your name?");
    const conversationId = ready.conversationId as string;
    // The customer answers and drops off before the flow replies.
    first.send({ type: "message", text: "Ada" });
    first.ws.terminate();
    await eventually(
      async () => {
        const { rows } = await server.testDb.db.ownerTransaction((sql) =>
          sql.query<{ status: string }>("SELECT status FROM runs WHERE conversation_id = $1", [
            conversationId,
          ]),
        );
        return rows[0]?.status === "completed";
      },
      10_000,
      "the run to complete",
    );

    const second = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    second.send({ type: "resume", conversationId, after: question.at });
    const missed = await second.next((f) => f.type === "reply" && f.text.startsWith("Nice"));
    expect(missed.text).toBe("Nice to meet you, Ada.");
    // Ids are stable between the live stream and the catch-up, so a client dedupes what it already had.
    const replayedQuestion = second.frames.find((f) => f.type === "reply" && f.text === "What's your name?");
    expect(replayedQuestion?.id ?? question.id).toBe(question.id);
    second.ws.close();

    // Another channel's customer cannot read this conversation.
    const otherChannel = await openClient(socketUrl(server, { key: loudKey }), { origin: SHOP_ORIGIN });
    otherChannel.send({ type: "resume", conversationId });
    expect((await otherChannel.next((f) => f.type === "error")).code).toBe("FD378");
    expect(otherChannel.frames.some((f) => f.type === "reply")).toBe(false);
    otherChannel.ws.close();
  }, 30_000);

  it("terminates a client that stops reading once its buffered bytes pass the limit", async () => {
    const client = await openClient(socketUrl(server, { key: loudKey }), { origin: SHOP_ORIGIN });
    const raw = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    const text = "y".repeat(3_000); // each reply: 100 × 3,000 characters = 300 kB, under the template output cap
    for (let i = 0; i < 30; i += 1) client.send({ type: "message", text });
    await eventually(
      () => server.logLines.some((line) => line.includes("chat client cut off")),
      20_000,
      "the cut-off",
    );
    raw.resume();
    const closed = await client.closed();
    expect(closed.code).toBe(1006); // terminated, no close handshake
  }, 30_000);

  it("lets staff test-run a draft with the step trace, and refuses viewers and foreign Origins", async () => {
    const token = owner.accessToken as string;
    const draft = await server.request("POST", "/workflows", {
      token,
      body: { yaml: GREETER.replace("greeter", "draft_greeter") },
    });
    const url = socketUrl(server, { token, workflow: draft.body.id, draft: "1" });
    expect((await upgradeStatus(url, { origin: "http://evil.test" })).status).toBe(403);
    const staff = await openClient(url);
    staff.send({ type: "message", text: "hi" });
    expect((await staff.next((f) => f.type === "reply")).text).toBe("What's your name?");
    const step = await staff.next((f) => f.type === "step" && f.event === "step.completed");
    expect(step.data.stepId).toContain("start");
    staff.ws.close();
  }, 20_000);
});
