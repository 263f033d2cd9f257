import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CUSTOMER_FALLBACK_TEXT } from "../src/chat/chat-options";
import { getAppMetrics } from "../src/metrics/app-metrics";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { runCounterName } from "../src/plans/plan-usage";
import { signPayload } from "../src/webhooks/webhook-signature";
import { createChannel, eventually, openClient, publishFlow, SHOP_ORIGIN, socketUrl } from "./chat-support";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Ids are random hex, and one may hold "fd350" by chance: that is no code shown to a customer.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const withoutIds = (text: string) => text.replace(UUID, "<id>");

const NOTES_PER_MINUTE = 8;

const HELLO = `name: hello
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Hello!" } }
edges:
  - { from: start, to: done }
`;

// Issue 16: a customer of a tenant over its plan reads the polite fallback, never "This plan allows …" or a
// code; staff find the reason in the audit log and the metrics.
describe("customers never see our plumbing", () => {
  let server: TestServer;
  let owner: JsonBody;
  let key: string;
  let workflowId: string;
  let receiver: Server;
  const delivered: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        delivered.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    server = await startTestServer(
      "pg",
      {},
      { chat: { outboundAllowList: ["127.0.0.1"], fallbackNotesPerTenantPerMinute: NOTES_PER_MINUTE } },
    );
    owner = (await registerAccount(server)).body;
    const token = owner.accessToken as string;
    workflowId = await publishFlow(server, token, HELLO);
    key = (
      await createChannel(server, token, { kind: "web", workflow: workflowId, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey;
    // The month's allowance used up, as a thousand runs would leave it.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value`,
        [owner.tenant.id, runCounterName(), PLAN_LIMITS.pro.runsPerMonth],
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  const fallbacks = async () =>
    (await getAppMetrics(server.app).chatFallbacks.get()).values.find((v) => v.labels.code === "FD350")
      ?.value ?? 0;

  async function auditRows(): Promise<JsonBody[]> {
    const res = await server.request("GET", "/audit?action=chat.fallback", { token: owner.accessToken });
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it("answers an over-quota customer's WebSocket message with the fallback text", async () => {
    const before = await fallbacks();
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "message", text: "Where is my order?" });
    const reply = await client.next((frame) => frame.type === "reply");
    expect(reply).toMatchObject({ author: "bot", text: DEFAULT_CUSTOMER_FALLBACK_TEXT });
    await client.next((frame) => frame.type === "typing" && frame.on === false);
    const seen = JSON.stringify(client.frames);
    expect(withoutIds(seen)).not.toMatch(/FD35\d|plan|runs per month|used up/i);
    expect(client.frames.some((frame) => frame.type === "error")).toBe(false);
    client.ws.close();

    expect(await fallbacks()).toBe(before + 1);
    const rows = await auditRows();
    expect(rows.find((row) => row.targetId === reply.conversationId)).toMatchObject({
      action: "chat.fallback",
      actorId: null,
      targetType: "conversation",
      detail: { code: "FD350", reason: expect.stringContaining("runs per month"), channelKind: "web" },
    });
  });

  it("answers an over-quota customer's POST /chat/messages with the fallback text, 200", async () => {
    const before = await fallbacks();
    const res = await server.request("POST", "/chat/messages", {
      body: { text: "Hello?" },
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "unavailable" });
    expect(res.body.replies.map((reply: JsonBody) => reply.text)).toEqual([DEFAULT_CUSTOMER_FALLBACK_TEXT]);
    expect(withoutIds(res.text)).not.toMatch(/FD35\d|plan|runs per month|used up/i);
    expect(await fallbacks()).toBe(before + 1);
    expect((await auditRows()).map((row) => row.targetId)).toContain(res.body.conversationId);
  });

  it("still shows staff testing the flow the real refusal", async () => {
    const client = await openClient(socketUrl(server, { token: owner.accessToken, workflow: workflowId }));
    client.send({ type: "message", text: "test" });
    expect(await client.next((frame) => frame.type === "error")).toMatchObject({ code: "FD350" });
    client.ws.close();
  });

  it("answers an over-quota customer on a webhook channel with the fallback, at its outbound URL", async () => {
    const before = await fallbacks();
    const channel = await createChannel(server, owner.accessToken, {
      kind: "webhook",
      workflow: workflowId,
      outboundUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/flowdeck`,
    });
    const raw = JSON.stringify({ text: "Where is my order?" });
    const res = await server.request("POST", `/webhooks/${channel.id}`, {
      rawBody: raw,
      headers: {
        "flowdeck-signature": signPayload(channel.webhookSecret, Math.floor(Date.now() / 1000), raw),
        "flowdeck-message-id": "fallback-1",
      },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "unavailable" });
    expect(withoutIds(res.text)).not.toMatch(/FD35\d|plan|runs per month|used up/i);
    await eventually(() => delivered.length > 0, 10_000, "the outbound fallback");
    expect(JSON.parse(delivered[0]!)).toMatchObject({ type: "reply", text: DEFAULT_CUSTOMER_FALLBACK_TEXT });
    expect(withoutIds(delivered.join(""))).not.toMatch(/FD35\d|plan|runs per month|used up/i);
    expect(await fallbacks()).toBe(before + 1);
    expect((await auditRows()).map((row) => row.detail.channelKind)).toContain("webhook");
  });

  it("writes down a flood of fallbacks once per conversation and a few per tenant, and counts every one", async () => {
    const before = await fallbacks();
    const rowsBefore = (await auditRows()).length;
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    for (let i = 0; i < 12; i += 1) client.send({ type: "message", text: `Hello? ${i}` });
    await eventually(
      () => client.frames.filter((frame) => frame.type === "reply").length === 12,
      10_000,
      "twelve fallback replies",
    );
    const conversationId = client.frames.find((frame) => frame.type === "ready" && frame.conversationId)
      ?.conversationId as string;
    client.ws.close();
    expect((await auditRows()).filter((row) => row.targetId === conversationId)).toHaveLength(1);

    // Each a new conversation, as a client that never keeps one would send them.
    for (let i = 0; i < 20; i += 1) {
      const res = await server.request("POST", "/chat/messages", {
        body: { text: `Anyone? ${i}` },
        headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
      });
      expect(res.body.status).toBe("unavailable");
    }
    expect(await fallbacks()).toBe(before + 32);
    const added = (await auditRows()).length - rowsBefore;
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThanOrEqual(NOTES_PER_MINUTE);
  });
});

// A flow that fails without an error edge (here: tool.http refused the metadata address, FD240).
const BROKEN = `name: broken_fetch
nodes:
  - { name: start, type: start }
  - { name: fetch, type: tool.http, config: { url: "http://169.254.169.254/latest/meta-data" } }
  - { name: done, type: end, config: { reply: "Fetched." } }
edges:
  - { from: start, to: fetch }
  - { from: fetch, to: done }
`;

describe("a failed run reaches the customer as the fallback text, not its code", () => {
  let server: TestServer;
  let owner: JsonBody;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    owner = (await registerAccount(server)).body;
    const workflow = await publishFlow(server, owner.accessToken, BROKEN);
    key = (
      await createChannel(server, owner.accessToken, { kind: "web", workflow, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("over the socket and in the catch-up; staff see the code on the run", async () => {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "message", text: "hi" });
    const reply = await client.next((frame) => frame.type === "reply");
    expect(reply).toMatchObject({ author: "bot", text: DEFAULT_CUSTOMER_FALLBACK_TEXT });
    await client.next((frame) => frame.type === "typing" && frame.on === false);
    expect(withoutIds(JSON.stringify(client.frames))).not.toMatch(/FD\d{3}/);
    client.ws.close();

    const caughtUp = await server.request("GET", `/chat/conversations/${reply.conversationId}/events`, {
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.items).toContainEqual(expect.objectContaining({ id: reply.id, text: reply.text }));
    expect(withoutIds(caughtUp.text)).not.toMatch(/FD\d{3}/);

    const runs = await server.request("GET", "/runs?status=failed", { token: owner.accessToken });
    expect(runs.body.items).toHaveLength(1);
    const run = await server.request("GET", `/runs/${runs.body.items[0].id}`, { token: owner.accessToken });
    expect(run.body.error).toMatchObject({ code: "FD240" });
  });

  it("over POST /chat/messages", async () => {
    const res = await server.request("POST", "/chat/messages", {
      body: { text: "hello" },
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.body.replies.map((r: JsonBody) => r.text)).toEqual([DEFAULT_CUSTOMER_FALLBACK_TEXT]);
    expect(withoutIds(res.text)).not.toMatch(/FD\d{3}/);
  });
});
