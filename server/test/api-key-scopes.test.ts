// Issue 19 item 3: API keys authenticate as `Bearer fdk.…`, each scope against every route of the route table
// (generated from the table, not listed here), the role cap, revocation on the next request, expiry, audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_SCOPES, routeScope, type ApiKeyScope } from "../src/api-keys/api-key-scopes";
import { getRouteTable, type RouteDefinition } from "../src/kit/route-table";
import { roleAtLeast } from "../src/kit/roles";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

/** A concrete path: every parameter a UUID that names nothing, so allowed requests find no row to change. */
const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, "3f0c6a52-9d1b-4e55-8f63-2a7d3c1b9e40");

describe("API keys on the API", () => {
  let server: TestServer;
  let owner: JsonBody;
  const keys = new Map<ApiKeyScope, string>();

  async function makeKey(body: Record<string, unknown>): Promise<JsonBody> {
    const res = await server.request("POST", "/api-keys", { token: owner.accessToken, body });
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    server = await startTestServer("pg");
    owner = (await registerAccount(server, { tenantName: "Keyed" })).body;
    // One key per scope, all with the strongest role a key can have, so only the scope decides.
    for (const scope of API_KEY_SCOPES) {
      keys.set(scope, (await makeKey({ name: `only ${scope}`, scopes: [scope], role: "admin" })).key);
    }
  });
  afterAll(() => server?.close());

  it("answers every authenticated route for every scope: allowed, or 403 with the code that says why", async () => {
    const routes = getRouteTable(server.app).filter((route) => route.auth === "user");
    expect(routes.length).toBeGreaterThan(50);
    const expected: Record<string, string> = {};
    const actual: Record<string, string> = {};
    const expectFor = (route: RouteDefinition, scope: ApiKeyScope): string => {
      const needed = routeScope(route);
      if (needed === "session") return "403 FD318";
      if (needed !== scope) return "403 FD317";
      // Keys act at most as admins: an owner-only route stays closed.
      if (route.role && !roleAtLeast("admin", route.role)) return "403 FD313";
      return "allowed";
    };
    for (const route of routes) {
      for (const scope of API_KEY_SCOPES) {
        const name = `${route.method.toUpperCase()} ${route.path} with ${scope}`;
        expected[name] = expectFor(route, scope);
        const res = await server.request(route.method.toUpperCase(), concrete(route.path), {
          token: keys.get(scope)!,
          ...(route.method === "get" || route.method === "delete" ? {} : { body: route.example ?? {} }),
        });
        const code = res.body?.error?.code as string | undefined;
        // Allowed: the route ran its own checks (200, 201, 404 for the made-up id, 400/409 for its rules).
        actual[name] =
          res.status === 401 || res.status === 403 || res.status >= 500 ? `${res.status} ${code}` : "allowed";
        // Scope refusals say where: the route in the message.
        if (res.status === 403 && code !== "FD313" && !String(res.body.error.message).includes(route.path)) {
          actual[name] += " (message without the route)";
        }
      }
    }
    expect(actual).toEqual(expected);
    // Every scope opens something, and every area of the table is reachable by some scope or closed on purpose.
    for (const scope of API_KEY_SCOPES)
      expect(Object.entries(expected).some(([k, v]) => k.endsWith(` ${scope}`) && v === "allowed")).toBe(
        true,
      );
  });

  it("caps the key's role: a viewer key with workflows:write reads but cannot write", async () => {
    const { key } = await makeKey({
      name: "read-mostly",
      scopes: ["workflows:read", "workflows:write"],
      role: "viewer",
    });
    expect((await server.request("GET", "/workflows", { token: key })).status).toBe(200);
    const refused = await server.request("POST", "/workflows", {
      token: key,
      body: { yaml: "name: by_key\n" },
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, "FD313"]);
    const defaulted = await makeKey({ name: "defaults", scopes: ["runs:read", "runs:write"] });
    expect(defaulted).toMatchObject({ role: "editor", scopes: ["runs:read", "runs:write"], expiresAt: null });
    expect((await makeKey({ name: "reader", scopes: ["data:read"] })).role).toBe("viewer");
  });

  it("acts as the tenant and audits it: the key is the actor, and its use is recorded with last-used time", async () => {
    const made = await makeKey({ name: "CI", scopes: ["workflows:write", "workflows:read"] });
    const created = await server.request("POST", "/workflows", {
      token: made.key,
      body: { yaml: "name: from_ci\nnodes:\n  - { name: start, type: start }\n" },
    });
    expect(created.status).toBe(201);
    const listed = await server.request("GET", "/workflows", { token: made.key });
    expect(listed.body.items.map((w: JsonBody) => w.name)).toContain("from_ci");
    const audit = await server.request("GET", `/audit?actor=${made.id}`, { token: owner.accessToken });
    expect(audit.body.items.map((row: JsonBody) => [row.action, row.actorType])).toEqual([
      ["workflow.create", "api_key"],
      ["api_key.use", "api_key"],
    ]);
    expect(audit.body.items[1].detail).toEqual({ method: "POST", route: "/workflows" });
    const key = (await server.request("GET", "/api-keys", { token: owner.accessToken })).body.items.find(
      (k: JsonBody) => k.id === made.id,
    );
    expect(Date.parse(key.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses a revoked key on the next request, and an expired key, with 401 FD319", async () => {
    const made = await makeKey({ name: "to revoke", scopes: ["runs:read"] });
    expect((await server.request("GET", "/runs", { token: made.key })).status).toBe(200);
    expect(
      (await server.request("DELETE", `/api-keys/${made.id}`, { token: owner.accessToken })).status,
    ).toBe(204);
    const revoked = await server.request("GET", "/runs", { token: made.key });
    expect([revoked.status, revoked.body.error.code]).toEqual([401, "FD319"]);
    expect(revoked.body.error.message).toMatch(/^This API key was revoked at \d{4}-/);

    const expiring = await makeKey({
      name: "short-lived",
      scopes: ["runs:read"],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await server.request("GET", "/runs", { token: expiring.key })).status).toBe(200);
    // Its hour passes (moved in the database rather than waited for).
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.id]),
    );
    const expired = await server.request("GET", "/runs", { token: expiring.key });
    expect([expired.status, expired.body.error.code]).toEqual([401, "FD319"]);
    expect(expired.body.error.message).toMatch(/^This API key expired at /);

    const past = await server.request("POST", "/api-keys", {
      token: owner.accessToken,
      body: { name: "already over", scopes: ["runs:read"], expiresAt: "2020-01-01T00:00:00Z" },
    });
    expect([past.status, past.body.error.code]).toEqual([400, "FD300"]);
    expect(past.body.error.details.field).toBe("/expiresAt");
  });

  it("answers 401 FD310 to a key with a wrong secret or for another tenant's id, without a stack", async () => {
    const good = keys.get("runs:read")!;
    const wrong = await server.request("GET", "/runs", { token: `${good.slice(0, -4)}AAAA` });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "FD310"]);
    expect(wrong.text).not.toMatch(/at .*\.ts:\d+/);
    const other = (await registerAccount(server, { tenantName: "Other" })).body;
    const [, , id, secret] = good.split(".");
    const moved = await server.request("GET", "/runs", { token: `fdk.${other.tenant.id}.${id}.${secret}` });
    expect([moved.status, moved.body.error.code]).toEqual([401, "FD310"]);
  });

  it("chats server to server: an API key with chat and the channel key, no Origin", async () => {
    const yaml =
      'name: s2s_echo\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: "Hello from the flow" } }\nedges:\n  - { from: start, to: done }\n';
    const created = await server.request("POST", "/workflows", { token: owner.accessToken, body: { yaml } });
    expect(created.status).toBe(201);
    await server.request("POST", `/workflows/${created.body.id}/publish`, {
      token: owner.accessToken,
      body: {},
    });
    const channel = await server.request("POST", "/channels", {
      token: owner.accessToken,
      body: { kind: "web", workflow: created.body.id, allowedOrigins: ["https://shop.test"] },
    });
    const channelKey = channel.body.publishableKey as string;
    const send = (headers: Record<string, string>) =>
      server.request("POST", "/chat/messages", { body: { text: "hi" }, headers });

    // Without a key, a server (no Origin) is refused as before.
    expect((await send({ "x-channel-key": channelKey })).body.error.code).toBe("FD371");
    const ok = await send({ authorization: `Bearer ${keys.get("chat")!}`, "x-channel-key": channelKey });
    expect(ok.status).toBe(200);
    expect(ok.body.replies.map((r: JsonBody) => r.text)).toEqual(["Hello from the flow"]);
    const events = await server.request("GET", `/chat/conversations/${ok.body.conversationId}/events`, {
      headers: { authorization: `Bearer ${keys.get("chat")!}`, "x-channel-key": channelKey },
    });
    expect(events.status).toBe(200);

    const noScope = await send({
      authorization: `Bearer ${keys.get("runs:read")!}`,
      "x-channel-key": channelKey,
    });
    expect([noScope.status, noScope.body.error.code]).toEqual([403, "FD317"]);
    const noChannel = await send({ authorization: `Bearer ${keys.get("chat")!}` });
    expect([noChannel.status, noChannel.body.error.code]).toEqual([401, "FD370"]);
  });
});
