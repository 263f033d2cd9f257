import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import { DEFAULT_CHAT_OPTIONS } from "../src/chat/chat-options";
import { getChatServices } from "../src/chat/chat-services";
import {
  createOutboundDelivery,
  type OutboundDelivery,
  type OutboundMessage,
} from "../src/webhooks/outbound-delivery";
import type { OutboundTarget } from "../src/webhooks/outbound-target";
import { createChannel, publishFlow } from "./chat-support";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

const FLOW = `name: hook_flow
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Bye" } }
edges:
  - { from: start, to: done }
`;

/**
 * Outbound webhook messages are rows until their receiver takes them: a process that dies with messages owed
 * leaves them to the next sweeper, which delivers each conversation's messages in order.
 */
describe.each(TEST_DATABASE_KINDS)("durable webhook delivery on %s", (kind) => {
  let server: TestServer;
  let receiver: Server;
  /** What the receiver answers next (then 204 once the list is empty), and what it accepted. */
  const answers: number[] = [];
  const accepted: string[] = [];
  const attempts: string[] = [];
  let target: OutboundTarget;
  let tenantId: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { text } = JSON.parse(body) as { text: string };
        attempts.push(text);
        const status = answers.shift() ?? 204;
        if (status < 300) accepted.push(text);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // The app's own sweeper stays out of the way: these tests play the processes themselves.
    server = await startTestServer(kind, {}, { chat: { outboundSweepIntervalMs: 3_600_000 } });
    const account = await registerAccount(server);
    const token = account.body.accessToken as string;
    tenantId = account.body.tenant.id as string;
    const channel = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, FLOW),
      outboundUrl: url,
    });
    target = { tenantId, url, secret: channel.webhookSecret as string, channelId: channel.id as string };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  /** A delivery as one API process has it; its sweeper only runs when a test calls `sweep`. */
  function process(): OutboundDelivery {
    return createOutboundDelivery({
      db: server.testDb.db,
      secretBox: getChatServices(server.app).secretBox,
      options: {
        ...DEFAULT_CHAT_OPTIONS,
        outboundAllowList: ["127.0.0.1"],
        outboundBackoffMs: 1,
        outboundAttempts: 3,
        outboundSweepIntervalMs: 3_600_000,
      },
      log: silentServerLogger,
    });
  }

  const message = (text: string, conversationId = "conv-1"): OutboundMessage => ({
    type: "reply",
    id: `msg-${text}`,
    conversationId,
    text,
    at: new Date().toISOString(),
  });

  async function owed(): Promise<Array<{ body: string; attempts: number; gave_up: boolean; error: string }>> {
    return server.testDb.db.transaction(
      async (sql) =>
        (
          await sql.query<{ body: string; attempts: number; gave_up: boolean; error: string }>(
            `SELECT body, attempts, gave_up_at IS NOT NULL AS gave_up, coalesce(last_error, '') AS error
               FROM webhook_deliveries ORDER BY created_at`,
          )
        ).rows,
      { tenantId },
    );
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("keeps what a dead process owed, and the next sweeper delivers it in order", async () => {
    const first = process();
    answers.push(503);
    expect(await first.deliver(target, message("one"))).toBe(false);
    // An older message of the conversation is owed: this one waits behind it, not attempted now.
    expect(await first.deliver(target, message("two"))).toBe(false);
    // Another conversation is not held back.
    expect(await first.deliver(target, message("other", "conv-2"))).toBe(true);
    expect(attempts).toEqual(["one", "other"]);
    await first.close();
    expect((await owed()).map((row) => [JSON.parse(row.body).text, row.attempts])).toEqual([
      ["one", 1],
      ["two", 0],
    ]);

    const next = process();
    await sleep(5);
    expect(await next.sweep()).toBe(2);
    expect(accepted).toEqual(["other", "one", "two"]);
    expect(await owed()).toEqual([]);
    await next.close();
  });

  it("gives a message up after its attempts or a refusal, keeps why, and no longer holds its conversation", async () => {
    const delivery = process();
    answers.push(500);
    expect(await delivery.deliver(target, message("flaky", "conv-3"))).toBe(false);
    answers.push(500, 500);
    await sleep(5);
    await delivery.sweep();
    await sleep(5);
    await delivery.sweep();
    answers.push(400);
    expect(await delivery.deliver(target, message("refused", "conv-4"))).toBe(false);
    expect(
      (await owed()).map((row) => [JSON.parse(row.body).text, row.attempts, row.gave_up, row.error]),
    ).toEqual([
      ["flaky", 3, true, "The receiver answered 500."],
      ["refused", 1, true, "The receiver answered 400."],
    ]);
    expect(await delivery.deliver(target, message("after", "conv-3"))).toBe(true);
    await delivery.close();

    // Pruned once 30 days old, by the first pass of the next process.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        "UPDATE webhook_deliveries SET gave_up_at = now() - interval '31 days' WHERE body LIKE '%flaky%'",
      ),
    );
    const later = process();
    await later.sweep();
    expect((await owed()).map((row) => JSON.parse(row.body).text)).toEqual(["refused"]);
    await later.close();
  });
});
