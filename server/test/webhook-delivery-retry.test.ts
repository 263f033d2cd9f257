import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// A day of retries still ends: once the receiver is fixed, staff owe its given-up replies again, and the channel
// reads healthy as soon as a later reply got through (the latest outcome wins over an older failure).
describe("given-up webhook deliveries, retried and cleared", () => {
  let server: TestServer;
  let receiver: Server;
  const answers: number[] = [];
  const accepted: string[] = [];
  let target: OutboundTarget;
  let token: string;
  let viewerToken: string;
  let otherToken: string;
  let delivery: OutboundDelivery;
  let userId: string;
  /** What each answered retry owed again, oldest first: the audit log must hold the same. */
  const retried: Array<{ scope: "all" | "named"; ids: string[] }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const status = answers.shift() ?? 204;
        if (status < 300) accepted.push((JSON.parse(body) as { text: string }).text);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer("pg", {}, { chat: { outboundSweepIntervalMs: 3_600_000 } });
    const account = await registerAccount(server);
    token = account.body.accessToken as string;
    userId = account.body.user.id as string;
    otherToken = (await registerAccount(server)).body.accessToken as string;
    const email = `viewer-${randomUUID()}@example.com`;
    const invited = await server.request("POST", "/invitations", { token, body: { email, role: "viewer" } });
    viewerToken = (
      await server.request("POST", "/invitations/accept", {
        body: { token: invited.body.token, password: "a fine new password" },
      })
    ).body.accessToken as string;
    const channel = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, FLOW),
      outboundUrl: url,
    });
    target = { tenantId: account.body.tenant.id, url, secret: channel.webhookSecret, channelId: channel.id };
    // One attempt: a retryable failure is given up at once, as a day of them would be.
    delivery = createOutboundDelivery({
      db: server.testDb.db,
      secretBox: getChatServices(server.app).secretBox,
      options: {
        ...DEFAULT_CHAT_OPTIONS,
        outboundAllowList: ["127.0.0.1"],
        outboundBackoffMs: 1,
        outboundAttempts: 1,
        outboundSweepIntervalMs: 3_600_000,
      },
      log: silentServerLogger,
    });
  }, 60_000);
  afterAll(async () => {
    await delivery?.close();
    await server?.close();
    receiver?.close();
  });

  const message = (text: string, conversationId = `conv-${text}`): OutboundMessage => ({
    type: "reply",
    id: `msg-${text}`,
    conversationId,
    text,
    at: new Date().toISOString(),
  });
  const deliveries = async () =>
    (await server.request("GET", `/channels/${target.channelId}/deliveries`, { token })).body;
  const retry = (ids?: string[], channelId = target.channelId, as = token) =>
    server.request("POST", `/channels/${channelId}/deliveries/retry`, {
      token: as,
      body: ids ? { ids } : {},
    });
  const itemOf = async (text: string) =>
    ((await deliveries()).items as Array<{ messageId: string; id: string; status: string }>).find(
      (item) => item.messageId === `msg-${text}`,
    );

  it("clears the failing banner once a later delivery succeeds, keeping the given-up message listed", async () => {
    answers.push(503);
    expect(await delivery.deliver(target, message("greeting"))).toBe(false);
    const failing = await deliveries();
    expect(failing).toMatchObject({
      health: "failing",
      givenUpTotal: 1,
      items: [{ messageId: "msg-greeting", status: "given-up", nextAttemptAt: null }],
    });
    expect(Date.parse(failing.items[0].givenUpAt)).toBeGreaterThan(Date.now() - 60_000);

    expect(await delivery.deliver(target, message("later"))).toBe(true);
    const recovered = await deliveries();
    expect(recovered).toMatchObject({ health: "ok", deliveredTotal: 1, givenUpTotal: 1 });
    expect(recovered.items.map((item: { messageId: string }) => item.messageId)).toEqual(["msg-greeting"]);

    // And the other way round: a failure after the delivery is the latest outcome again.
    answers.push(503);
    expect(await delivery.deliver(target, message("lost"))).toBe(false);
    expect((await deliveries()).health).toBe("failing");
  });

  it("retries one given-up message, which the sweeper then delivers", async () => {
    const greeting = (await itemOf("greeting"))!;
    const answered = await retry([greeting.id]);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ retried: 1, ids: [greeting.id] });
    retried.push({ scope: "named", ids: answered.body.ids });
    expect(await itemOf("greeting")).toMatchObject({ status: "pending", attempts: 0, givenUpAt: null });
    // A retried message is owed again, not given up: retrying it twice is refused while it is owed.
    const again = await retry([greeting.id]);
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([
      409,
      "FD343",
      { owed: [greeting.id] },
    ]);

    await delivery.sweep();
    expect(accepted).toContain("greeting");
    expect(await itemOf("greeting")).toBeUndefined();
    expect(await itemOf("lost")).toMatchObject({ status: "given-up" });
  });

  it("retries every given-up message of a channel at once", async () => {
    answers.push(500);
    expect(await delivery.deliver(target, message("second"))).toBe(false);
    const answered = await retry();
    expect(answered.status).toBe(200);
    expect(answered.body.retried).toBe(2);
    retried.push({ scope: "all", ids: answered.body.ids });
    await delivery.sweep();
    expect(accepted).toEqual(expect.arrayContaining(["lost", "second"]));
    expect(await deliveries()).toMatchObject({ health: "ok", items: [] });
    expect((await retry()).body).toEqual({ retried: 0, ids: [] });
  });

  it("answers FD322 for a missing channel or delivery, retries none of a partly wrong list, refuses viewers", async () => {
    const missingChannel = await retry(undefined, randomUUID());
    expect([missingChannel.status, missingChannel.body.error.code]).toEqual([404, "FD322"]);
    const wrongChannel = await retry([randomUUID()], randomUUID());
    expect([wrongChannel.status, wrongChannel.body.error.code]).toEqual([404, "FD322"]);

    answers.push(500);
    expect(await delivery.deliver(target, message("third"))).toBe(false);
    const third = (await itemOf("third"))!;
    const missing = randomUUID();
    const partly = await retry([third.id, missing, "not-a-uuid"]);
    expect([partly.status, partly.body.error.code, partly.body.error.details]).toEqual([
      404,
      "FD322",
      { missing: [missing, "not-a-uuid"] },
    ]);
    expect(await itemOf("third")).toMatchObject({ status: "given-up" });

    expect((await retry(undefined, target.channelId, viewerToken)).status).toBe(403);
    expect((await retry(undefined, target.channelId, otherToken)).status).toBe(404);
    expect(await itemOf("third")).toMatchObject({ status: "given-up" });
    expect((await retry([])).body.error.code).toBe("FD300");
  });

  it("audits each retry that owed something again, in its transaction: who, which channel, how many", async () => {
    const audit = await server.request(
      "GET",
      `/audit?action=channel.retry_deliveries&target=channel:${target.channelId}`,
      { token },
    );
    expect(audit.status).toBe(200);
    // Newest first. The refused retries (409, 404, a viewer's 403) and the one that found nothing wrote none.
    expect(
      audit.body.items.map((row: Record<string, unknown>) => ({
        actorId: row.actorId,
        actorType: row.actorType,
        targetId: row.targetId,
        detail: row.detail,
        hasRequestId: typeof row.requestId === "string",
      })),
    ).toEqual(
      [...retried].reverse().map(({ scope, ids }) => ({
        actorId: userId,
        actorType: "user",
        targetId: target.channelId,
        detail: { kind: "webhook", scope, retried: ids.length, ids },
        hasRequestId: true,
      })),
    );
    expect(retried.map((entry) => entry.ids.length)).toEqual([1, 2]);
  });
});
