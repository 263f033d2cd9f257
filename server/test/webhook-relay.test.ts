import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { DEFAULT_CHAT_OPTIONS } from "../src/chat/chat-options";
import { getChatServices } from "../src/chat/chat-services";
import { silentServerLogger } from "../src/kit/logger";
import { createOutboundDelivery } from "../src/webhooks/outbound-delivery";
import { createTurnRelays } from "../src/webhooks/webhook-relay";
import { signPayload } from "../src/webhooks/webhook-signature";
import { createChannel, eventually, publishFlow } from "./chat-support";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Says one thing, then waits on a slow lookup (the test holds its answer), then says more and asks.
const SLOW_TURN = (lookupUrl: string) => `name: slow_turn
nodes:
  - { name: start, type: start }
  - { name: hello, type: reply, config: { text: "One moment, looking it up." } }
  - { name: lookup, type: tool.http, config: { url: "${lookupUrl}" } }
  - { name: found, type: reply, config: { text: "Found it." } }
  - { name: more, type: ask, config: { prompt: "Anything else?", variable: more } }
  - { name: done, type: end }
edges:
  - { from: start, to: hello }
  - { from: hello, to: lookup }
  - { from: lookup, to: found }
  - { from: found, to: more }
  - { from: more, to: done }
`;

const ORDER_ASK = `name: order_ask
nodes:
  - { name: start, type: start }
  - name: order
    type: ask
    config:
      prompt: "Your order number?"
      variable: order
      validation: "answer.matches('^[0-9]{5}$')"
      retry_prompt: "That is not an order number. Five digits, please."
  - { name: done, type: end, config: { reply: "Thanks!" } }
edges:
  - { from: start, to: order }
  - { from: order, to: done }
`;

/**
 * Issue 20: a chat webhook turn's replies are read from the run's log, not from the batches one process
 * happened to hear, so the process that took the message may die mid-run and the customer still gets every
 * reply, once, in order.
 */
describe.each(TEST_DATABASE_KINDS)("webhook turn relay on %s", (kind) => {
  let server: TestServer;
  let receiver: Server;
  let lookup: Server;
  let token: string;
  let tenantId: string;
  const received: Array<{ id: string; text: string }> = [];
  /** Answers of the held lookup, released by the test. */
  const held: Array<() => void> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ id: messageIdOf(req.headers), text: (JSON.parse(body) as { text: string }).text });
        res.writeHead(204).end();
      });
    });
    lookup = createServer((_req, res) => {
      held.push(() => res.writeHead(200, { "content-type": "application/json" }).end('{"found":true}'));
    });
    await Promise.all([listen(receiver), listen(lookup)]);
    // The app's own sweeper stays out of the way: the test plays the processes that take over.
    server = await startTestServer(
      kind,
      {},
      { chat: { outboundAllowList: ["127.0.0.1"], outboundSweepIntervalMs: 3_600_000 } },
    );
    const account = await registerAccount(server);
    token = account.body.accessToken as string;
    tenantId = account.body.tenant.id as string;
    const allowed = await server.request("PUT", "/settings/http-allow-list", {
      token,
      body: { entries: ["127.0.0.1"] },
    });
    if (allowed.status !== 200) throw new Error(`allow-list refused: ${allowed.text}`);
  }, 60_000);

  afterAll(async () => {
    for (const answer of held.splice(0)) answer();
    await server?.close();
    receiver?.close();
    lookup?.close();
  });

  async function webhookChannel(yaml: string): Promise<JsonBody> {
    return createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, yaml),
      outboundUrl: `http://127.0.0.1:${portOf(receiver)}/flowdeck`,
    });
  }

  async function send(channel: JsonBody, messageId: string, payload: Record<string, unknown>) {
    const raw = JSON.stringify(payload);
    const res = await server.request("POST", `/webhooks/${channel.id}`, {
      rawBody: raw,
      headers: {
        "flowdeck-signature": signPayload(channel.webhookSecret, Math.floor(Date.now() / 1000), raw),
        "flowdeck-message-id": messageId,
      },
    });
    expect(res.status).toBe(202);
    return res.body as { conversationId: string; runId: string };
  }

  /** Another API process: its own delivery and relays, whose sweeper runs only when the test says. */
  function anotherProcess(orphanGraceMs?: number) {
    const options = {
      ...DEFAULT_CHAT_OPTIONS,
      outboundAllowList: ["127.0.0.1"],
      outboundSweepIntervalMs: 3_600_000,
    };
    const db = server.testDb.db;
    const { secretBox } = getChatServices(server.app);
    const delivery = createOutboundDelivery({ db, secretBox, options, log: silentServerLogger });
    const relays = createTurnRelays({
      db,
      runs: () => undefined,
      delivery,
      secretBox,
      options,
      log: silentServerLogger,
      ...(orphanGraceMs === undefined ? {} : { orphanGraceMs }),
    });
    return {
      relays,
      delivery,
      close: async () => {
        await relays.close();
        await delivery.close();
      },
    };
  }

  /** Turns still being relayed; with `settled`, also those relayed (kept until retention, migration 1027). */
  const relaysLeft = (settled = false) =>
    server.testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhook_relays ${settled ? "" : "WHERE settled_at IS NULL"}`,
      );
      return rows[0]!.n;
    });

  /** A chat webhook call of `messageId`, signed anew each time it is sent. */
  const signedCall = (channel: JsonBody, messageId: string) => () => {
    const raw = JSON.stringify({ text: "Hi" });
    return {
      rawBody: raw,
      headers: {
        "flowdeck-signature": signPayload(channel.webhookSecret, Math.floor(Date.now() / 1000), raw),
        "flowdeck-message-id": messageId,
      },
    };
  };

  /** Sends the call through a process that dies after storing the message, before recording its relay. */
  async function sendWhileRelayFails(channel: JsonBody, signed: ReturnType<typeof signedCall>) {
    const relays = getChatServices(server.app).relays;
    const record = relays.relay;
    relays.relay = () => Promise.reject(new Error("the process died here"));
    try {
      return (await server.request("POST", `/webhooks/${channel.id}`, signed())).status;
    } finally {
      relays.relay = record;
    }
  }

  it("gives an ask's second question its own message id, so a receiver that dedupes still shows it", async () => {
    const channel = await webhookChannel(ORDER_ASK);
    const before = received.length;
    const { conversationId } = await send(channel, "ask-1", { text: "Hi" });
    await eventually(() => received.length === before + 1, 10_000, "the question");
    await send(channel, "ask-2", { text: "no idea", conversationId });
    await eventually(() => received.length === before + 2, 10_000, "the question again");
    await send(channel, "ask-3", { text: "12345", conversationId });
    await eventually(() => received.length === before + 3, 10_000, "the thanks");
    const conversation = received.slice(before);
    expect(conversation.map((message) => message.text)).toEqual([
      "Your order number?",
      "That is not an order number. Five digits, please.",
      "Thanks!",
    ]);
    // Both questions come from the same ask step: counted per step over the run, not per turn.
    expect(new Set(conversation.map((message) => message.id)).size).toBe(3);
    await eventually(async () => (await relaysLeft()) === 0, 10_000, "the relays to finish");
  });

  it("relays a turn whose process died after storing the message and before recording its relay, once", async () => {
    const channel = await webhookChannel(ORDER_ASK.replace("name: order_ask", "name: order_ask_again"));
    const before = received.length;
    const relayed = await relaysLeft(true);
    // The process that takes the message stores it (its run starts) and dies before the turn's relay is recorded:
    // the sender hears no 202.
    const signed = signedCall(channel, "crash-1");
    expect(await sendWhileRelayFails(channel, signed)).toBe(500);
    expect(await relaysLeft(true)).toBe(relayed);

    // The sender retries: the copy is refused (the message was stored and ran), and its turn's replies go out.
    const retry = await server.request("POST", `/webhooks/${channel.id}`, signed());
    expect(retry.status).toBe(409);
    expect((retry.body as { error: { code: string } }).error.code).toBe("FD376");
    await eventually(() => received.length === before + 1, 10_000, "the question");
    expect(received[before]!.text).toBe("Your order number?");
    await eventually(async () => (await relaysLeft()) === 0, 10_000, "the relay to settle");

    // Another retry finds the turn relayed: nothing is recorded or sent again.
    const again = await server.request("POST", `/webhooks/${channel.id}`, signed());
    expect(again.status).toBe(409);
    expect(await relaysLeft(true)).toBe(relayed + 1);
    await getChatServices(server.app).relays.idle();
    await getChatServices(server.app).outbound.idle();
    expect(received).toHaveLength(before + 1);
  });

  it("relays such a turn when the sender never retries: any process finds the message with no relay", async () => {
    const channel = await webhookChannel(ORDER_ASK.replace("name: order_ask", "name: order_ask_orphan"));
    const before = received.length;
    const relayed = await relaysLeft(true);
    expect(await sendWhileRelayFails(channel, signedCall(channel, "orphan-1"))).toBe(500);
    expect(await relaysLeft(true)).toBe(relayed);

    const successor = anotherProcess(0);
    try {
      // Every earlier turn of this file has its relay, so this message is the only orphan.
      expect(await successor.relays.recordOrphans()).toBe(1);
      expect(await successor.relays.sweep()).toBe(1);
      await successor.delivery.idle();
      expect(received.slice(before).map((message) => message.text)).toEqual(["Your order number?"]);
      expect(await relaysLeft()).toBe(0);
      // Looked for again (a process starting later, from the give-up time): the turn is relayed already.
      expect(await anotherProcessOrphans()).toBe(0);
      expect(await successor.relays.sweep()).toBe(0);
      expect(received).toHaveLength(before + 1);
    } finally {
      await successor.close();
    }
  });

  async function anotherProcessOrphans(): Promise<number> {
    const other = anotherProcess(0);
    try {
      return await other.relays.recordOrphans();
    } finally {
      await other.close();
    }
  }

  it("delivers a turn whose process died mid-run: the successor reads the rest from the log, none twice", async () => {
    const channel = await webhookChannel(SLOW_TURN(`http://127.0.0.1:${portOf(lookup)}/orders/1`));
    const before = received.length;
    const { runId } = await send(channel, "slow-1", { text: "Where is my parcel?" });
    await eventually(
      () => received.length === before + 1 && held.length === 1,
      10_000,
      "the first reply and the lookup",
    );
    expect(received.slice(before).map((message) => message.text)).toEqual(["One moment, looking it up."]);

    // The process that took the message dies: it follows the turn no more; the run goes on (a worker).
    await getChatServices(server.app).relays.close();
    held.shift()!();
    const settled = await server.runs.settled(tenantId, runId, 10_000);
    expect(settled.status).toBe("waiting");
    expect(received).toHaveLength(before + 1);
    expect(await relaysLeft()).toBe(1);

    const successor = anotherProcess();
    try {
      // The dead process's lease still holds: nobody takes its turn yet.
      expect(await successor.relays.sweep()).toBe(0);
      await server.testDb.db.ownerTransaction((sql) =>
        sql.query("UPDATE webhook_relays SET lease_until = now() - interval '1 second'"),
      );
      expect(await successor.relays.sweep()).toBe(1);
      await successor.delivery.idle();
      expect(received.slice(before).map((message) => message.text)).toEqual([
        "One moment, looking it up.",
        "Found it.",
        "Anything else?",
      ]);
      expect(new Set(received.slice(before).map((message) => message.id)).size).toBe(3);
      expect(await relaysLeft()).toBe(0);
      // A second takeover of the same turn (a sweeper that read before the row went) finds nothing to send.
      expect(await successor.relays.sweep()).toBe(0);
      expect(received).toHaveLength(before + 3);
    } finally {
      await successor.close();
    }
  });
});

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function messageIdOf(headers: IncomingHttpHeaders): string {
  return String(headers["flowdeck-message-id"] ?? "");
}
