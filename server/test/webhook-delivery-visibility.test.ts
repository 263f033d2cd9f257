import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentServerLogger } from "../src/kit/logger";
import { DEFAULT_CHAT_OPTIONS } from "../src/chat/chat-options";
import { getChatServices } from "../src/chat/chat-services";
import { createOutboundDelivery } from "../src/webhooks/outbound-delivery";
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

// Staff see what their webhook receiver did with our replies: delivered, retried, given up, and why.
describe("webhook deliveries, visible", () => {
  let server: TestServer;
  let receiver: Server;
  const answers: number[] = [];
  let target: OutboundTarget;
  let token: string;
  let otherToken: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(answers.shift() ?? 204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer("pg", {}, { chat: { outboundSweepIntervalMs: 3_600_000 } });
    const account = await registerAccount(server);
    token = account.body.accessToken as string;
    otherToken = (await registerAccount(server)).body.accessToken as string;
    const channel = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, FLOW),
      outboundUrl: url,
    });
    target = { tenantId: account.body.tenant.id, url, secret: channel.webhookSecret, channelId: channel.id };
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  const deliveries = (channelId = target.channelId, as = token) =>
    server.request("GET", `/channels/${channelId}/deliveries`, { token: as });

  it("counts delivered messages, shows a failing receiver's error and what is still owed", async () => {
    const delivery = createOutboundDelivery({
      db: server.testDb.db,
      secretBox: getChatServices(server.app).secretBox,
      options: {
        ...DEFAULT_CHAT_OPTIONS,
        outboundAllowList: ["127.0.0.1"],
        outboundBackoffMs: 1,
        outboundAttempts: 2,
        outboundSweepIntervalMs: 3_600_000,
      },
      log: silentServerLogger,
    });
    try {
      const message = (text: string, conversationId: string) => ({
        type: "reply" as const,
        id: `msg-${text}`,
        conversationId,
        text,
        at: new Date().toISOString(),
      });
      expect((await deliveries()).body).toMatchObject({ health: "ok", deliveredTotal: 0, items: [] });

      expect(await delivery.deliver(target, message("one", "c1"))).toBe(true);
      expect((await deliveries()).body).toMatchObject({ health: "ok", deliveredTotal: 1, lastError: null });

      answers.push(503, 503);
      expect(await delivery.deliver(target, message("two", "c2"))).toBe(false);
      const retrying = (await deliveries()).body;
      expect(retrying).toMatchObject({
        health: "failing",
        failedAttemptsTotal: 1,
        lastError: "The receiver answered 503.",
        items: [{ messageId: "msg-two", status: "retrying", attempts: 1 }],
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await delivery.sweep();
      const givenUp = (await deliveries()).body;
      expect(givenUp).toMatchObject({
        health: "failing",
        failedAttemptsTotal: 2,
        givenUpTotal: 1,
        items: [{ messageId: "msg-two", status: "given-up", attempts: 2, nextAttemptAt: null }],
      });
      // The receiver recovers: the next message is delivered and the channel reads healthy again.
      expect(await delivery.deliver(target, message("three", "c3"))).toBe(true);
      expect((await deliveries()).body).toMatchObject({ deliveredTotal: 2 });
      expect(JSON.stringify((await deliveries()).body)).not.toContain("Bye");
    } finally {
      await delivery.close();
    }
  }, 30_000);

  it("answers 404 for another tenant's channel", async () => {
    expect((await deliveries(target.channelId, otherToken)).status).toBe(404);
  });
});
