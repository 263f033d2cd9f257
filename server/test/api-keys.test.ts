import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { verifyApiKey } from "../src/api-keys/api-key-store";
import { hashPassword } from "../src/auth/password";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

describe.each(TEST_DATABASE_KINDS)("API keys on %s", (kind) => {
  let server: TestServer;
  let tenantA: JsonBody;
  let tenantB: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    tenantA = (await registerAccount(server, { tenantName: "A" })).body;
    tenantB = (await registerAccount(server, { tenantName: "B" })).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("creates a key shown once, lists it without secrets, verifies and revokes it", async () => {
    const created = await server.request("POST", "/api-keys", {
      token: tenantA.accessToken,
      body: { name: "Website widget", scopes: ["runs:read"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Website widget", revokedAt: null });
    const key = created.body.key as string;
    expect(key.startsWith(`fdk.${tenantA.tenant.id}.`)).toBe(true);
    expect(await verifyApiKey(server.testDb.db, key)).toEqual({
      tenantId: tenantA.tenant.id,
      keyId: created.body.id,
    });
    expect(await verifyApiKey(server.testDb.db, `${key.slice(0, -3)}abc`)).toBeUndefined();

    const list = await server.request("GET", "/api-keys", { token: tenantA.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(key.split(".")[3]);
    expect(list.text).not.toContain("hash");

    const revoked = await server.request("DELETE", `/api-keys/${created.body.id}`, {
      token: tenantA.accessToken,
    });
    expect(revoked.status).toBe(204);
    expect(await verifyApiKey(server.testDb.db, key)).toBeUndefined();
  });

  it("answers 404 to another tenant for a key id that exists, and changes nothing", async () => {
    const created = await server.request("POST", "/api-keys", {
      token: tenantA.accessToken,
      body: { name: "A's key", scopes: ["runs:read"] },
    });
    const foreign = await server.request("DELETE", `/api-keys/${created.body.id}`, {
      token: tenantB.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("FD322");
    expect(await verifyApiKey(server.testDb.db, created.body.key)).toMatchObject({ keyId: created.body.id });
    const listB = await server.request("GET", "/api-keys", { token: tenantB.accessToken });
    expect(listB.body.items).toEqual([]);
    const notUuid = await server.request("DELETE", "/api-keys/not-a-uuid", { token: tenantA.accessToken });
    expect(notUuid.status).toBe(404);
  });

  it("refuses members below admin with 403 FD313, and unknown body fields with 400", async () => {
    const email = `viewer-${kind}@example.com`;
    const password = "viewer password 123";
    const passwordHash = await hashPassword(password, 4);
    await server.testDb.db.transaction(
      async (sql) => {
        const { rows } = await sql.query<{ id: string }>("SELECT flowdeck_create_user($1, $2) AS id", [
          email,
          passwordHash,
        ]);
        await sql.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')", [
          tenantA.tenant.id,
          rows[0]!.id,
        ]);
      },
      { tenantId: tenantA.tenant.id },
    );
    const login = await server.request("POST", "/auth/login", { body: { email, password } });
    expect(login.body.tenant).toEqual({ id: tenantA.tenant.id, role: "viewer" });
    const refused = await server.request("POST", "/api-keys", {
      token: login.body.accessToken,
      body: { name: "sneaky", scopes: ["admin"] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FD313");
    const extra = await server.request("POST", "/api-keys", {
      token: tenantA.accessToken,
      body: { name: "x", scopes: ["admin"], tenantId: tenantB.tenant.id },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("/tenantId");
  });
});
