import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

describe.each(TEST_DATABASE_KINDS)("invitations on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let otherTenant: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Inviting" })).body;
    otherTenant = (await registerAccount(server, { tenantName: "Other" })).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  async function invite(token: string, email: string, role: string) {
    return server.request("POST", "/invitations", { token, body: { email, role } });
  }

  it("invites a new email as editor; accepting creates the account, once", async () => {
    const email = `editor-${kind}@example.com`;
    const created = await invite(owner.accessToken, email.toUpperCase(), "editor");
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: "editor" });
    const pending = await server.request("GET", "/invitations", { token: owner.accessToken });
    expect(pending.body.items.map((i: JsonBody) => i.email)).toContain(email);
    expect(pending.text).not.toContain(created.body.token.split(".")[3]);

    const short = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: "short" },
    });
    expect(short.status).toBe(400);
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: "a fine new password" },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.tenant).toEqual({ id: owner.tenant.id, role: "editor" });
    const me = await server.request("GET", "/auth/me", { token: accepted.body.accessToken });
    expect(me.body.user.email).toBe(email);

    const again = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: "a fine new password" },
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("FD316");
    const login = await server.request("POST", "/auth/login", {
      body: { email, password: "a fine new password" },
    });
    expect(login.status).toBe(200);
  });

  it("makes an existing account prove its password before joining", async () => {
    const existing = await registerAccount(server, { tenantName: "Home" });
    const created = await invite(owner.accessToken, existing.email, "viewer");
    const wrong = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: "not the password" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("FD311");
    const right = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: existing.password },
    });
    expect(right.status).toBe(200);
    expect(right.body.tenant).toEqual({ id: owner.tenant.id, role: "viewer" });
    // The login still enters the oldest membership, the user's own tenant.
    const login = await server.request("POST", "/auth/login", {
      body: { email: existing.email, password: existing.password },
    });
    expect(login.body.tenants).toHaveLength(2);
    expect(login.body.tenant.id).toBe(existing.body.tenant.id);
  });

  it("keeps invitations inside their tenant and roles below the inviter's", async () => {
    const created = await invite(owner.accessToken, `x-${kind}@example.com`, "viewer");
    const foreign = await server.request("DELETE", `/invitations/${created.body.id}`, {
      token: otherTenant.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("FD322");
    const listOther = await server.request("GET", "/invitations", { token: otherTenant.accessToken });
    expect(listOther.body.items).toEqual([]);

    // An editor (accepted above) may not invite; an admin may invite editors but not admins.
    const adminInvite = await invite(owner.accessToken, `admin-${kind}@example.com`, "admin");
    const admin = await server.request("POST", "/invitations/accept", {
      body: { token: adminInvite.body.token, password: "admin password 123" },
    });
    expect(admin.body.tenant.role).toBe("admin");
    expect((await invite(admin.body.accessToken, `e2-${kind}@example.com`, "editor")).status).toBe(201);
    const escalate = await invite(admin.body.accessToken, `a2-${kind}@example.com`, "admin");
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.code).toBe("FD313");
    const ownerRole = await invite(owner.accessToken, `o-${kind}@example.com`, "owner");
    expect(ownerRole.status).toBe(400);

    const revoked = await server.request("DELETE", `/invitations/${created.body.id}`, {
      token: owner.accessToken,
    });
    expect(revoked.status).toBe(204);
    const useRevoked = await server.request("POST", "/invitations/accept", {
      body: { token: created.body.token, password: "whatever password" },
    });
    expect(useRevoked.status).toBe(404);
  });
});
