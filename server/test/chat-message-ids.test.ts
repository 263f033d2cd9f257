import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";
import {
  createChannel,
  GREETER,
  openClient,
  publishFlow,
  replyFrames,
  SHOP_ORIGIN,
  socketUrl,
  type ChatClient,
} from "./chat-support";

// The widget gives each message an id and sends it again on every new socket until the server says `received`:
// a socket can drop between the send and the server's read (a restart, a proxy), and the frame is gone with it.
// The server takes each id once per channel, whichever socket or process a copy reaches, and claims it with the
// statement that stores the message (the run it starts, or the request it records for a waiting run).

describe("chat messages with the client's id", () => {
  let server: TestServer;
  let key: string;
  /** A second web channel of the same tenant and flow: its conversations are not this channel's. */
  let otherKey: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    const token = (await registerAccount(server, { tenantName: "Acme" })).body.accessToken as string;
    const workflow = await publishFlow(server, token, GREETER);
    const channel = () =>
      createChannel(server, token, { kind: "web", workflow, allowedOrigins: [SHOP_ORIGIN] });
    key = (await channel()).publishableKey as string;
    otherKey = (await channel()).publishableKey as string;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const connect = () => openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
  const messageId = () => `m-${randomUUID()}`;
  const received = (client: ChatClient, id: string) =>
    client.next((frame) => frame.type === "received" && frame.id === id);
  const reply = (client: ChatClient, text: string) =>
    client.next((frame) => frame.type === "reply" && frame.text === text, 15_000);
  const conversationOf = (client: ChatClient) =>
    client.frames.findLast((frame) => frame.type === "ready" && frame.conversationId)
      ?.conversationId as string;

  /** A new chat's first message, answered; its socket closed. Resolves with the message's id and conversation. */
  async function firstMessageAnswered(): Promise<{ hello: string; conversationId: string }> {
    const first = await connect();
    const hello = messageId();
    first.send({ type: "message", text: "hello", id: hello });
    await reply(first, "What's your name?");
    const conversationId = conversationOf(first);
    first.ws.close();
    return { hello, conversationId };
  }

  /** Runs `work` while another transaction holds the conversation's run rows (FOR UPDATE), then lets go. */
  async function holdingRunsOf(conversationId: string, work: () => Promise<void>): Promise<void> {
    await server.testDb.db.ownerTransaction(async (sql) => {
      await sql.query("SELECT id FROM runs WHERE conversation_id = $1 FOR UPDATE", [conversationId]);
      await work();
    });
  }

  /** Waits for a statement of this database blocked on a lock whose text holds `marker`, and terminates it. */
  async function terminateWaitingStatement(marker: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await server.testDb.db.ownerTransaction((sql) =>
        sql.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0`,
          [marker],
        ),
      );
      if (rows.some((row) => row.ended)) return;
      if (Date.now() > deadline) throw new Error(`no statement with ${marker} waited for the lock`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The conversation's runs, and the messages recorded for them (each follow-up is a `resume.requested`). */
  async function stored(conversationId: string): Promise<{ runs: number; followUps: number }> {
    return server.testDb.db.ownerTransaction(async (sql) => {
      const runs = await sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM runs WHERE conversation_id = $1",
        [conversationId],
      );
      const followUps = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM run_journal j JOIN runs r ON r.tenant_id = j.tenant_id AND r.id = j.run_id
          WHERE r.conversation_id = $1 AND j.events @> '[{"type": "resume.requested"}]'`,
        [conversationId],
      );
      return { runs: runs.rows[0]!.n, followUps: followUps.rows[0]!.n };
    });
  }

  it("acknowledges each message once it is stored, and runs a copy sent again on a new socket not at all", async () => {
    const first = await connect();
    const hello = messageId();
    const name = messageId();
    first.send({ type: "message", text: "hello", id: hello });
    const helloReceived = await received(first, hello);
    const conversationId = conversationOf(first);
    expect(helloReceived.conversationId).toBe(conversationId);
    await reply(first, "What's your name?");
    first.send({ type: "message", text: "Ada", id: name, conversationId });
    await received(first, name);
    await reply(first, "Nice to meet you, Ada.");
    first.ws.close();

    // As the widget does on a new socket: resume, then every message it has no `received` for.
    const second = await connect();
    second.send({ type: "resume", conversationId });
    second.send({ type: "message", text: "hello", id: hello, conversationId });
    second.send({ type: "message", text: "Ada", id: name, conversationId });
    expect((await received(second, hello)).conversationId).toBe(conversationId);
    expect((await received(second, name)).conversationId).toBe(conversationId);
    expect(await stored(conversationId)).toEqual({ runs: 1, followUps: 1 });
    // The catch-up replays each answer once; nothing answered the copies.
    expect(replyFrames(second).map((frame) => frame.text)).toEqual([
      "What's your name?",
      "Nice to meet you, Ada.",
    ]);
    // Typing, shown while a copy is looked at, is not left on.
    expect(second.frames.findLast((frame) => frame.type === "typing")?.on ?? false).toBe(false);
    second.ws.close();
  }, 30_000);

  it("brings a copy to the conversation its first started when the socket dropped before the client heard it", async () => {
    const { hello, conversationId } = await firstMessageAnswered();

    // The client never kept the conversation id: it sends the message again as it first did.
    const second = await connect();
    second.send({ type: "message", text: "hello", id: hello });
    expect((await received(second, hello)).conversationId).toBe(conversationId);
    expect(conversationOf(second)).toBe(conversationId);
    expect(replyFrames(second).map((frame) => frame.text)).toEqual(["What's your name?"]);
    expect(await stored(conversationId)).toEqual({ runs: 1, followUps: 0 });

    // The conversation goes on from the new socket.
    second.send({ type: "message", text: "Grace", id: messageId(), conversationId });
    await reply(second, "Nice to meet you, Grace.");
    second.ws.close();
  }, 30_000);

  it("refuses a copy of the first message that arrives as the answer to the question it started", async () => {
    const { hello, conversationId } = await firstMessageAnswered();

    // The run now waits for a name: a copy of "hello" must not become it.
    const second = await connect();
    second.send({ type: "resume", conversationId });
    second.send({ type: "message", text: "hello", id: hello, conversationId });
    expect((await received(second, hello)).conversationId).toBe(conversationId);
    expect(await stored(conversationId)).toEqual({ runs: 1, followUps: 0 });
    second.send({ type: "message", text: "Grace", id: messageId(), conversationId });
    await reply(second, "Nice to meet you, Grace.");
    expect(replyFrames(second).map((frame) => frame.text)).toEqual([
      "What's your name?",
      "Nice to meet you, Grace.",
    ]);
    second.ws.close();
  }, 30_000);

  it("names the message it refuses, and keeps nothing of it: its id is taken by a later copy", async () => {
    // A conversation of the tenant's other channel: refused (FD378) before anything is stored.
    const elsewhere = await openClient(socketUrl(server, { key: otherKey }), { origin: SHOP_ORIGIN });
    elsewhere.send({ type: "message", text: "hello", id: messageId() });
    await reply(elsewhere, "What's your name?");
    const client = await connect();
    const id = messageId();
    client.send({ type: "message", text: "hello", id, conversationId: conversationOf(elsewhere) });
    const refused = await client.next((frame) => frame.type === "error");
    expect(refused).toMatchObject({ code: "FD378", id });
    expect(client.frames.some((frame) => frame.type === "received")).toBe(false);

    client.send({ type: "message", text: "hello", id });
    await received(client, id);
    await reply(client, "What's your name?");
    for (const socket of [client, elsewhere]) socket.ws.close();
  }, 30_000);

  it("takes a copy of a message whose storing statement died: the id is claimed only with the message", async () => {
    const client = await connect();
    client.send({ type: "message", text: "hello", id: messageId() });
    await reply(client, "What's your name?");
    const conversationId = conversationOf(client);

    // The run's row is held, so the statement recording the answer waits; then its connection dies, as when
    // the process is killed. What it claimed goes with it.
    const name = messageId();
    await holdingRunsOf(conversationId, async () => {
      client.send({ type: "message", text: "Ada", id: name, conversationId });
      // REQUEST_RESUME, by words near its start: pg_stat_activity keeps only the first 1,024 bytes of a query.
      await terminateWaitingStatement("UPDATE runs SET event_seq = event_seq + 1");
    });
    expect(await stored(conversationId)).toEqual({ runs: 1, followUps: 0 });
    client.ws.close();

    // The widget sends the message again on its next socket: it runs.
    const again = await connect();
    again.send({ type: "resume", conversationId });
    again.send({ type: "message", text: "Ada", id: name, conversationId });
    await received(again, name);
    await reply(again, "Nice to meet you, Ada.");
    expect(await stored(conversationId)).toEqual({ runs: 1, followUps: 1 });
    again.ws.close();
  }, 30_000);

  it("over POST /chat/messages: a retry of a message with an id is refused, 409 FD376, and names its conversation", async () => {
    const id = messageId();
    const send = () =>
      server.request("POST", "/chat/messages", {
        body: { text: "hello", id },
        headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body.replies.map((r: { text: string }) => r.text)).toEqual(["What's your name?"]);
    const retry = await send();
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({
      code: "FD376",
      details: { conversationId: first.body.conversationId },
    });
    expect(await stored(first.body.conversationId as string)).toEqual({ runs: 1, followUps: 0 });
  }, 30_000);
});
