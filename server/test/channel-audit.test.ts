import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { hashSecret } from "../src/auth/opaque-token";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import { createChannel, publishFlow, SHOP_ORIGIN } from "./chat-support";

const FLOW = `name: audited_channel
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "hi" } }
edges:
  - { from: start, to: done }
`;

/** Every row of the tenant's audit log as raw JSON text, for the "no secret anywhere" checks. */
async function everyAuditRow(server: TestServer, token: string): Promise<string> {
  const rows: JsonBody[] = [];
  let cursor = "";
  for (;;) {
    const page = await server.request("GET", `/audit?limit=200${cursor}`, { token });
    expect(page.status).toBe(200);
    rows.push(...page.body.items);
    if (!page.body.nextCursor) return JSON.stringify(rows);
    cursor = `&cursor=${encodeURIComponent(page.body.nextCursor)}`;
  }
}

describe.each(TEST_DATABASE_KINDS)("channel changes in the audit log on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let admin: { token: string; userId: string };
  let workflowId: string;
  /** Every key, secret, key hash and sealed secret the tests saw: none may be in any audit row. */
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Channels audited" })).body;
    const email = `admin-${randomUUID()}@example.com`;
    const invited = await server.request("POST", "/invitations", {
      token: owner.accessToken,
      body: { email, role: "admin" },
    });
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: invited.body.token, password: "a fine new password" },
    });
    admin = { token: accepted.body.accessToken, userId: accepted.body.user.id };
    workflowId = await publishFlow(server, owner.accessToken, FLOW);
    // A second version, so a pin can move.
    const draft = await server.request("GET", `/workflows/${workflowId}`, { token: owner.accessToken });
    const saved = await server.request("PUT", `/workflows/${workflowId}/draft`, {
      token: owner.accessToken,
      body: { yaml: FLOW.replace('"hi"', '"hello"') },
      headers: { "if-match": draft.headers.etag as string },
    });
    if (saved.status !== 200) throw new Error(`draft save failed: ${saved.status} ${saved.text}`);
    const published = await server.request("POST", `/workflows/${workflowId}/publish`, {
      token: owner.accessToken,
      body: {},
    });
    if (published.status !== 201) throw new Error(`publish failed: ${published.status} ${published.text}`);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const as = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: admin.token, ...(body === undefined ? {} : { body }) });
  const rowsOf = async (id: string) => {
    const res = await server.request("GET", `/audit?target=channel:${id}`, { token: owner.accessToken });
    expect(res.status).toBe(200);
    return (res.body.items as JsonBody[]).map((row) => ({
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      actorId: row.actorId,
      actorType: row.actorType,
      detail: row.detail,
    }));
  };
  const row = (action: string, id: string, detail: Record<string, unknown>) => ({
    action,
    targetType: "channel",
    targetId: id,
    actorId: admin.userId,
    actorType: "user",
    detail,
  });

  /** The stored key hash and sealed secret: they must never be copied into the log. */
  async function storedCredentials(id: string): Promise<void> {
    const { rows } = await server.testDb.db.transaction(
      (sql) =>
        sql.query<{ key_hash: string | null; secret_box: string | null }>(
          "SELECT key_hash, secret_box FROM channels WHERE id = $1",
          [id],
        ),
      { tenantId: owner.tenant.id },
    );
    for (const value of [rows[0]!.key_hash, rows[0]!.secret_box]) if (value) secrets.push(value);
  }

  it("records a web channel's create, update (name, pin, Origins), key rotation and delete", async () => {
    const created = await as("POST", "/channels", {
      kind: "web",
      name: "Shop chat",
      workflow: workflowId,
      pinnedVersion: 1,
      allowedOrigins: ["http://Shop.test/"],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    secrets.push(created.body.publishableKey, created.body.publishableKey.split(".")[3]);
    secrets.push(hashSecret(created.body.publishableKey.split(".")[3]));
    await storedCredentials(id);

    const updated = await as("PATCH", `/channels/${id}`, {
      name: "Shop chat (new)",
      pinnedVersion: null,
      allowedOrigins: [SHOP_ORIGIN, "https://www.shop.test"],
    });
    expect(updated.status).toBe(200);
    // Nothing changed: the row still says a change was asked for, with no fields.
    expect(
      (await as("PATCH", `/channels/${id}`, { allowedOrigins: ["https://www.shop.test", SHOP_ORIGIN] }))
        .status,
    ).toBe(200);
    const rotated = await as("POST", `/channels/${id}/rotate`);
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.publishableKey, rotated.body.publishableKey.split(".")[3]);
    await storedCredentials(id);
    expect((await as("DELETE", `/channels/${id}`)).status).toBe(204);

    expect(await rowsOf(id)).toEqual([
      row("channel.delete", id, { kind: "web", name: "Shop chat (new)" }),
      row("channel.rotate", id, { kind: "web", rotated: "publishable_key" }),
      row("channel.update", id, { kind: "web", fields: [] }),
      row("channel.update", id, {
        kind: "web",
        fields: ["name", "pinnedVersion", "allowedOrigins"],
        name: { from: "Shop chat", to: "Shop chat (new)" },
        pinnedVersion: { from: 1, to: null },
        allowedOrigins: { from: [SHOP_ORIGIN], to: [SHOP_ORIGIN, "https://www.shop.test"] },
      }),
      row("channel.create", id, {
        kind: "web",
        name: "Shop chat",
        workflowId,
        pinnedVersion: 1,
        allowedOrigins: [SHOP_ORIGIN],
        issued: "publishable_key",
      }),
    ]);
  }, 30_000);

  it("records a webhook channel's create, outbound URL change (before and after), secret rotation and delete", async () => {
    const created = await as("POST", "/channels", {
      kind: "webhook",
      workflow: "audited_channel",
      outboundUrl: "https://hooks.example.com/replies#frag",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.webhookSecret).toMatch(/^whsec_/);
    secrets.push(created.body.webhookSecret);
    await storedCredentials(id);

    const moved = await as("PATCH", `/channels/${id}`, {
      outboundUrl: "https://elsewhere.example.net/catch",
    });
    expect(moved.status).toBe(200);
    const pinned = await as("PATCH", `/channels/${id}`, { pinnedVersion: 2 });
    expect(pinned.status).toBe(200);
    const rotated = await as("POST", `/channels/${id}/rotate`);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    secrets.push(rotated.body.webhookSecret);
    await storedCredentials(id);
    expect((await as("DELETE", `/channels/${id}`)).status).toBe(204);

    expect(await rowsOf(id)).toEqual([
      row("channel.delete", id, { kind: "webhook", name: "Webhook" }),
      row("channel.rotate", id, { kind: "webhook", rotated: "signing_secret" }),
      row("channel.update", id, {
        kind: "webhook",
        fields: ["pinnedVersion"],
        pinnedVersion: { from: null, to: 2 },
      }),
      row("channel.update", id, {
        kind: "webhook",
        fields: ["outboundUrl"],
        outboundUrl: {
          from: "https://hooks.example.com/replies",
          to: "https://elsewhere.example.net/catch",
        },
      }),
      row("channel.create", id, {
        kind: "webhook",
        name: "Webhook",
        workflowId,
        pinnedVersion: null,
        outboundUrl: "https://hooks.example.com/replies",
        issued: "signing_secret",
      }),
    ]);
  }, 30_000);

  it("records nothing for a refused change, and names an API key as the actor when one acts", async () => {
    const channel = await createChannel(server, admin.token, {
      kind: "web",
      workflow: workflowId,
      allowedOrigins: [SHOP_ORIGIN],
    });
    secrets.push(channel.publishableKey);
    expect((await as("PATCH", `/channels/${channel.id}`, { pinnedVersion: 9 })).body.error.code).toBe(
      "FD381",
    );
    expect(
      (await as("PATCH", `/channels/${channel.id}`, { outboundUrl: "https://x.test" })).body.error.code,
    ).toBe("FD379");
    expect((await as("POST", `/channels/${randomUUID()}/rotate`)).status).toBe(404);
    expect((await as("DELETE", `/channels/${randomUUID()}`)).status).toBe(404);
    expect((await rowsOf(channel.id)).map((r) => r.action)).toEqual(["channel.create"]);

    const key = await server.request("POST", "/api-keys", {
      token: owner.accessToken,
      body: { name: "ops", scopes: ["admin"], role: "admin" },
    });
    expect(key.status).toBe(201);
    secrets.push(key.body.key);
    const rotated = await server.request("POST", `/channels/${channel.id}/rotate`, { token: key.body.key });
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.publishableKey);
    const rows = await rowsOf(channel.id);
    expect(rows[0]).toEqual({
      ...row("channel.rotate", channel.id, { kind: "web", rotated: "publishable_key" }),
      actorId: key.body.id,
      actorType: "api_key",
    });
  }, 30_000);

  it("keeps an oversized change within the row's limit: long Origin lists and outbound URLs are shortened", async () => {
    const origins = (tag: string) =>
      Array.from(
        { length: 50 },
        (_, i) => `https://${tag}${i}-${"a".repeat(50)}.${"b".repeat(60)}.example.com`,
      );
    const web = await as("POST", "/channels", {
      kind: "web",
      workflow: workflowId,
      allowedOrigins: origins("x"),
    });
    expect(web.status).toBe(201);
    secrets.push(web.body.publishableKey);
    expect((await as("PATCH", `/channels/${web.body.id}`, { allowedOrigins: origins("y") })).status).toBe(
      200,
    );
    const [update, create] = await rowsOf(web.body.id);
    expect(create!.detail.allowedOrigins.length).toBeGreaterThan(0);
    expect(create!.detail.allowedOrigins.length + create!.detail.allowedOriginsOmitted).toBe(50);
    expect(update!.detail.fields).toEqual(["allowedOrigins"]);
    const { added, removed, omitted } = update!.detail.allowedOrigins;
    expect(added.length + removed.length + omitted).toBe(100);
    expect(added.every((origin: string) => origin.startsWith("https://y"))).toBe(true);

    const long = (host: string) => `https://${host}/${"p".repeat(1980)}`;
    const hook = await as("POST", "/channels", {
      kind: "webhook",
      workflow: workflowId,
      outboundUrl: long("a.test"),
    });
    expect(hook.status).toBe(201);
    secrets.push(hook.body.webhookSecret);
    expect((await as("PATCH", `/channels/${hook.body.id}`, { outboundUrl: long("b.test") })).status).toBe(
      200,
    );
    const [moved] = await rowsOf(hook.body.id);
    expect(moved!.detail.outboundUrl.from).toMatch(/^https:\/\/a\.test\/p+…$/);
    expect(moved!.detail.outboundUrl.to).toMatch(/^https:\/\/b\.test\/p+…$/);
  }, 30_000);

  it("records outbound URLs without the tokens in their query strings, keeping host and path", async () => {
    const url = (token: string) => `https://hooks.example.com/in?token=${token}&team=ops`;
    const hook = await as("POST", "/channels", {
      kind: "webhook",
      workflow: workflowId,
      outboundUrl: url("s3cr3t-create"),
    });
    expect(hook.status).toBe(201);
    const id = hook.body.id as string;
    secrets.push(hook.body.webhookSecret, "s3cr3t-create", "s3cr3t-rotated", "k3y-elsewhere", "0ld-t0ken");
    // The channel itself keeps the whole URL: it is where the replies go.
    expect((await as("GET", `/channels/${id}`)).body.outboundUrl).toBe(url("s3cr3t-create"));
    expect((await as("PATCH", `/channels/${id}`, { outboundUrl: url("s3cr3t-rotated") })).status).toBe(200);
    const elsewhere = "https://elsewhere.example.net/catch?key=k3y-elsewhere";
    expect((await as("PATCH", `/channels/${id}`, { outboundUrl: elsewhere })).status).toBe(200);
    const redacted = "https://hooks.example.com/in?token=REDACTED&team=REDACTED";
    expect((await rowsOf(id)).map((r) => r.detail.outboundUrl)).toEqual([
      { from: redacted, to: "https://elsewhere.example.net/catch?key=REDACTED" },
      { from: redacted, to: redacted, redactedPartsChanged: true },
      redacted,
    ]);

    // A row written before URLs were redacted reads redacted too.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO audit_log (tenant_id, actor_id, action, target_type, target_id, detail, actor_type)
         VALUES ($1, NULL, 'channel.update', 'channel', $2, $3::jsonb, 'system')`,
        [
          owner.tenant.id,
          id,
          JSON.stringify({ outboundUrl: { from: "https://x.test/?t=0ld-t0ken", to: null } }),
        ],
      ),
    );
    expect((await rowsOf(id))[0]!.detail.outboundUrl).toEqual({
      from: "https://x.test/?t=REDACTED",
      to: null,
    });
  }, 30_000);

  it("never copies a key, secret, key hash or sealed secret into any audit row", async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const log = await everyAuditRow(server, owner.accessToken);
    expect(log).toContain("channel.rotate");
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/whsec_|fdp\.|keyHash|key_hash|secretBox|secret_box/);
  });
});
