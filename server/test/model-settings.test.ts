import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAiServer } from "../../runtime/test/support/fake-openai-server";
import { createSecretBox, deriveChannelSecretKey } from "../src/channels/secret-box";
import { createTenantModelGateways } from "../src/settings/tenant-model-gateways";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

const KEY = "sk-test-0123456789-wxyz";

// Issue 17 item 6: a workspace's own model provider — key sealed and never answered, audited, a real
// connection test through the SSRF-safe client, and the run host's models using it.
describe("model settings", () => {
  let server: TestServer;
  let fake: FakeOpenAiServer;
  let token: string;
  let tenantId: string;

  beforeAll(async () => {
    fake = await new FakeOpenAiServer({ defaultReply: { text: "pong" } }).start();
    server = await startTestServer("pg");
    const account = (await registerAccount(server)).body;
    token = account.accessToken;
    tenantId = account.tenant.id;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("stores the key sealed, answers only its last 4 and audits the change without it", async () => {
    expect((await server.request("GET", "/settings/models", { token })).body.configured).toBe(false);
    const saved = await server.request("PUT", "/settings/models", {
      token,
      body: { apiKey: KEY, baseUrl: `${fake.url}/`, defaultModel: "gpt-4o-mini" },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      configured: true,
      apiKeyLast4: "wxyz",
      baseUrl: fake.url.replace(/\/$/, ""),
      defaultModel: "gpt-4o-mini",
    });
    expect(saved.text).not.toContain(KEY);
    const read = await server.request("GET", "/settings/models", { token });
    expect(read.text).not.toContain(KEY);
    const audit = await server.request("GET", "/audit?action=settings.models", { token });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].detail.key).toBe("replaced");
    expect(audit.text).not.toContain(KEY);
    const stored = await server.testDb.db.transaction(
      async (sql) =>
        (await sql.query<{ box: string }>("SELECT api_key_box AS box FROM tenant_model_settings")).rows,
      { tenantId },
    );
    expect(stored[0]!.box).not.toContain(KEY);
    // Keeping the key while changing the model.
    const kept = await server.request("PUT", "/settings/models", { token, body: { defaultModel: "gpt-4o" } });
    expect(kept.body).toMatchObject({ apiKeyLast4: "wxyz", defaultModel: "gpt-4o" });
  });

  it("tests the connection through the safe client: loopback refused until allow-listed, then a real call", async () => {
    const refused = await server.request("POST", "/settings/models/test", { token, body: {} });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, code: "FD240" });
    expect(fake.requests).toHaveLength(0);
    await server.request("PUT", "/settings/http-allow-list", { token, body: { entries: ["127.0.0.1"] } });
    const ok = await server.request("POST", "/settings/models/test", { token, body: {} });
    expect(ok.body).toMatchObject({ ok: true, model: "gpt-4o" });
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(ok.text).not.toContain(KEY);
    const wrong = await server.request("POST", "/settings/models/test", {
      token,
      body: { baseUrl: "http://169.254.169.254/v1" },
    });
    expect(wrong.body).toMatchObject({ ok: false, code: "FD240" });
  });

  it("gives the run host's engine the tenant's provider, and the environment's to others", async () => {
    const box = createSecretBox(deriveChannelSecretKey(server.config.jwtSecret));
    const models = createTenantModelGateways({ db: server.testDb.db, secretBox: box, env: {} });
    const gateway = models(tenantId);
    const before = fake.requests.length;
    const answer = await gateway.complete(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      { signal: AbortSignal.timeout(10_000) },
    );
    expect(answer.offline).toBe(false);
    expect(fake.requests.length).toBe(before + 1);
    expect(gateway.offline).toBe(false);
    expect(models("00000000-0000-4000-8000-000000000000").offline).toBe(true);
  });
});
