import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

describe.each(TEST_DATABASE_KINDS)("tenant switch on %s", (kind) => {
  let server: TestServer;
  let home: { email: string; password: string; body: JsonBody };
  let agency: JsonBody;
  let stranger: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    home = await registerAccount(server, { tenantName: "Home Shop" });
    agency = (await registerAccount(server, { tenantName: "Agency" })).body;
    stranger = (await registerAccount(server, { tenantName: "Stranger" })).body;
    // The home user joins Agency as a viewer.
    const invite = await server.request("POST", "/invitations", {
      token: agency.accessToken,
      body: { email: home.email, role: "viewer" },
    });
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: invite.body.token, password: home.password },
    });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.text}`);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function login() {
    const res = await server.request("POST", "/auth/login", {
      body: { email: home.email, password: home.password },
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  it("lists every tenant of the caller with names and roles, marking the current one", async () => {
    const session = await login();
    const res = await server.request("GET", "/auth/tenants", { token: session.accessToken });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.items.map((t: JsonBody) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(["Agency", "Home Shop"]);
    expect(byName["Home Shop"]).toMatchObject({ role: "owner", current: true, id: home.body.tenant.id });
    expect(byName.Agency).toMatchObject({ role: "viewer", current: false, id: agency.tenant.id });
  });

  it("switches into another membership with its role, and revokes the session it left", async () => {
    const session = await login();
    const res = await server.request("POST", "/auth/switch-tenant", {
      token: session.accessToken,
      body: { tenantId: agency.tenant.id, refreshToken: session.refreshToken },
    });
    expect(res.status).toBe(200);
    expect(res.body.tenant).toEqual({ id: agency.tenant.id, role: "viewer" });
    expect(res.body.user.email).toBe(home.email);
    expect(res.body.tenants).toHaveLength(2);

    const me = await server.request("GET", "/auth/me", { token: res.body.accessToken });
    expect(me.body.tenant).toMatchObject({ id: agency.tenant.id, name: "Agency", role: "viewer" });
    // The new token carries the new role: a viewer cannot create workflows in Agency.
    const create = await server.request("POST", "/workflows", {
      token: res.body.accessToken,
      body: { yaml: "name: sneaky\nnodes:\n  - { name: start, type: start }\n" },
    });
    expect(create.status).toBe(403);

    const refreshed = await server.request("POST", "/auth/refresh", {
      body: { refreshToken: res.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.tenant.id).toBe(agency.tenant.id);
    const old = await server.request("POST", "/auth/refresh", {
      body: { refreshToken: session.refreshToken },
    });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("FD312");
  });

  it("refuses a tenant the caller does not belong to, like one that does not exist", async () => {
    const session = await login();
    for (const tenantId of [stranger.tenant.id, "00000000-0000-4000-8000-000000000000"]) {
      const res = await server.request("POST", "/auth/switch-tenant", {
        token: session.accessToken,
        body: { tenantId },
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("FD322");
    }
    const anonymous = await server.request("POST", "/auth/switch-tenant", {
      body: { tenantId: agency.tenant.id },
    });
    expect(anonymous.status).toBe(401);
    const smuggled = await server.request("POST", "/auth/switch-tenant", {
      token: session.accessToken,
      body: { tenantId: agency.tenant.id, role: "owner" },
    });
    expect(smuggled.status).toBe(400);
  });
});
