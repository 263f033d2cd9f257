import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";
import {
  createChannel,
  openClient,
  publishFlow,
  SHOP_ORIGIN,
  socketUrl,
  upgradeStatus,
} from "./chat-support";

const flow = (reply: string) => `name: pinned
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "${reply}" } }
edges:
  - { from: start, to: done }
`;

describe.each(TEST_DATABASE_KINDS)("the channel API on %s", (kind) => {
  let server: TestServer;
  let token: string;
  let workflowId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    token = (await registerAccount(server)).body.accessToken;
    workflowId = await publishFlow(server, token, flow("version one"));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function replyOver(key: string): Promise<string> {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "message", text: "hi" });
    const reply = await client.next((f) => f.type === "reply");
    client.ws.close();
    return reply.text as string;
  }

  it("creates a web channel whose key is shown once, normalises Origins and refuses a mixed-up body", async () => {
    const created = await createChannel(server, token, {
      kind: "web",
      workflow: "pinned",
      allowedOrigins: ["http://Shop.test/"],
    });
    expect(created.publishableKey).toMatch(/^fdp\./);
    expect(created.allowedOrigins).toEqual([SHOP_ORIGIN]);
    const listed = await server.request("GET", "/channels", { token });
    expect(listed.text).not.toContain(created.publishableKey);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.id);
    const mixed = await server.request("POST", "/channels", {
      token,
      body: { kind: "web", workflow: "pinned", outboundUrl: "https://x.test" },
    });
    expect(mixed.body.error.code).toBe("FD379");
    const path = await server.request("POST", "/channels", {
      token,
      body: { kind: "web", workflow: "pinned", allowedOrigins: ["https://x.test/path"] },
    });
    expect(path.status).toBe(400);
    const unknown = await server.request("POST", "/channels", {
      token,
      body: { kind: "web", workflow: "nope" },
    });
    expect(unknown.status).toBe(404);
  });

  it("pins a version: new runs keep it after a newer publish, null follows the latest", async () => {
    const channel = await createChannel(server, token, {
      kind: "web",
      workflow: workflowId,
      pinnedVersion: 1,
      allowedOrigins: [SHOP_ORIGIN],
    });
    const draft = await server.request("GET", `/workflows/${workflowId}`, { token });
    await server.request("PUT", `/workflows/${workflowId}/draft`, {
      token,
      body: { yaml: flow("version two") },
      headers: { "if-match": draft.headers.etag as string },
    });
    expect(
      (await server.request("POST", `/workflows/${workflowId}/publish`, { token, body: {} })).status,
    ).toBe(201);
    expect(await replyOver(channel.publishableKey)).toBe("version one");
    const missing = await server.request("PATCH", `/channels/${channel.id}`, {
      token,
      body: { pinnedVersion: 9 },
    });
    expect([missing.status, missing.body.error.code]).toEqual([400, "FD381"]);
    const latest = await server.request("PATCH", `/channels/${channel.id}`, {
      token,
      body: { pinnedVersion: null },
    });
    expect(latest.body.pinnedVersion).toBeNull();
    expect(await replyOver(channel.publishableKey)).toBe("version two");
  }, 20_000);

  it("rotates the key (the old one stops working at once) and deleting the channel ends its key", async () => {
    const channel = await createChannel(server, token, {
      kind: "web",
      workflow: workflowId,
      allowedOrigins: [SHOP_ORIGIN],
    });
    const session = await openClient(socketUrl(server, { key: channel.publishableKey }), {
      origin: SHOP_ORIGIN,
    });
    const rotated = await server.request("POST", `/channels/${channel.id}/rotate`, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.publishableKey).not.toBe(channel.publishableKey);
    expect(
      (await upgradeStatus(socketUrl(server, { key: channel.publishableKey }), { origin: SHOP_ORIGIN }))
        .status,
    ).toBe(401);
    // An open session with the old key ends on its next message.
    session.send({ type: "message", text: "hi" });
    expect(await session.closed()).toMatchObject({ code: 1008, reason: expect.stringContaining("FD370") });
    expect(await replyOver(rotated.body.publishableKey)).toBe("version two");
    expect((await server.request("DELETE", `/channels/${channel.id}`, { token })).status).toBe(204);
    expect(
      (await upgradeStatus(socketUrl(server, { key: rotated.body.publishableKey }), { origin: SHOP_ORIGIN }))
        .status,
    ).toBe(401);
    expect((await server.request("GET", `/channels/${channel.id}`, { token })).status).toBe(404);
  }, 20_000);

  it("does not open a secret moved to another channel's row (the seal names its row)", async () => {
    const a = await createChannel(server, token, { kind: "webhook", workflow: workflowId });
    const b = await createChannel(server, token, { kind: "webhook", workflow: workflowId });
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        "UPDATE channels SET secret_box = (SELECT secret_box FROM channels WHERE id = $1) WHERE id = $2",
        [a.id, b.id],
      ),
    );
    const res = await server.request("POST", `/webhooks/${b.id}`, {
      body: { text: "x" },
      headers: { "flowdeck-signature": "t=1,v1=00", "flowdeck-message-id": "1" },
    });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(a.webhookSecret);
  });

  it("lists and gets a webhook channel with the server's own webhookUrl, and a web channel without one", async () => {
    const hook = await createChannel(server, token, { kind: "webhook", workflow: workflowId });
    const web = await createChannel(server, token, { kind: "web", workflow: workflowId });
    expect(hook.webhookUrl).toBe(`${server.url}/webhooks/${hook.id}`);
    const listed = (await server.request("GET", "/channels", { token })).body.items as {
      id: string;
      webhookUrl?: string;
    }[];
    expect(listed.find((c) => c.id === hook.id)?.webhookUrl).toBe(hook.webhookUrl);
    expect(listed.find((c) => c.id === web.id)).not.toHaveProperty("webhookUrl");
    const got = await server.request("GET", `/channels/${hook.id}`, { token });
    expect(got.body.webhookUrl).toBe(hook.webhookUrl);
    expect(got.text).not.toContain(hook.webhookSecret);
    expect((await server.request("GET", `/channels/${web.id}`, { token })).body).not.toHaveProperty(
      "webhookUrl",
    );
  });
});
