import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePublicUrl } from "../src/config/server-config";
import { DEMO_CHANNEL_NAME } from "../src/demo/demo-channel";
import { DEMO_LOGIN, ensureDemoTenant } from "../src/demo/demo-tenant";
import { createChannel, publishFlow } from "./chat-support";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

const flow = `name: embed
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "hi" } }
edges:
  - { from: start, to: done }
`;

// Issue 17 item 4: the snippet is pasted into the shop's own pages, so its script URL must be absolute.
describe("the embed snippet and the demo channel", () => {
  let derived: TestServer;
  let configured: TestServer;
  let token: string;
  let configuredToken: string;

  beforeAll(async () => {
    derived = await startTestServer("pg");
    configured = await startTestServer("pg", { publicUrl: "https://chat.example.com/flowdeck" });
    token = (await registerAccount(derived)).body.accessToken;
    configuredToken = (await registerAccount(configured)).body.accessToken;
    await publishFlow(derived, token, flow);
    await publishFlow(configured, configuredToken, flow);
  }, 60_000);
  afterAll(async () => {
    await derived?.close();
    await configured?.close();
  });

  it("derives the base URL from the request, ignoring forwarding headers without trust proxy", async () => {
    const created = await derived.request("POST", "/channels", {
      token,
      body: { kind: "web", workflow: "embed", allowedOrigins: ["http://shop.test"] },
      headers: { "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" },
    });
    expect(created.status).toBe(201);
    expect(created.body.embed).toBe(
      `<script src="${derived.url}/widget.js" data-channel="${created.body.publishableKey}" async></script>`,
    );
    const rotated = await derived.request("POST", `/channels/${created.body.id}/rotate`, { token });
    expect(rotated.body.embed).toContain(`src="${derived.url}/widget.js"`);
    const hook = await createChannel(derived, token, { kind: "webhook", workflow: "embed" });
    expect(hook.webhookUrl).toBe(`${derived.url}/webhooks/${hook.id}`);
  });

  it("uses a configured public URL, and refuses one that is not a base URL", async () => {
    const created = await createChannel(configured, configuredToken, { kind: "web", workflow: "embed" });
    expect(created.embed).toContain('src="https://chat.example.com/flowdeck/widget.js"');
    // Viewed later, a webhook channel's URL is the configured one too, not the request's host.
    const hook = await createChannel(configured, configuredToken, { kind: "webhook", workflow: "embed" });
    const listed = await configured.request("GET", "/channels", { token: configuredToken });
    expect(listed.body.items.find((c: { id: string }) => c.id === hook.id).webhookUrl).toBe(
      `https://chat.example.com/flowdeck/webhooks/${hook.id}`,
    );
    expect(parsePublicUrl("https://a.test/")).toBe("https://a.test");
    expect(() => parsePublicUrl("ftp://a.test")).toThrow(/FD398|FLOWDECK_PUBLIC_URL/);
    expect(() => parsePublicUrl("https://a.test/?x=1")).toThrow(/FLOWDECK_PUBLIC_URL/);
  });

  it("gives the demo tenant one web-chat channel for its support flow, also after a restart", async () => {
    await ensureDemoTenant(derived.testDb.db, { serverUrl: derived.url });
    await ensureDemoTenant(derived.testDb.db, { serverUrl: derived.url });
    const login = await derived.request("POST", "/auth/login", { body: DEMO_LOGIN });
    const listed = await derived.request("GET", "/channels", { token: login.body.accessToken });
    const demo = (
      listed.body.items as Array<{ name: string; kind: string; allowedOrigins: string[] }>
    ).filter((c) => c.name === DEMO_CHANNEL_NAME);
    expect(demo).toHaveLength(1);
    expect(demo[0]!.kind).toBe("web");
    expect(demo[0]!.allowedOrigins).toContain("http://localhost:8080");
    expect(demo[0]!.allowedOrigins).toContain(new URL(derived.url).origin);
  });
});
