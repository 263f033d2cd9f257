import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

describe.each(TEST_DATABASE_KINDS)("auth flow on %s", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { loginMaxFailures: 3 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("registers, logs in, rotates refresh tokens, detects reuse and logs out", async () => {
    const { email, password, body: registered } = await registerAccount(server, { tenantName: "Acme" });
    expect(registered.tenant.role).toBe("owner");
    expect(registered.tokenType).toBe("Bearer");

    const login = await server.request("POST", "/auth/login", { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.headers["cache-control"]).toBe("no-store");
    expect(login.body.tenant).toEqual({ id: registered.tenant.id, role: "owner" });
    expect(login.body.tenants).toEqual([{ id: registered.tenant.id, role: "owner" }]);

    const me = await server.request("GET", "/auth/me", { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    expect(me.body.tenant).toMatchObject({
      id: registered.tenant.id,
      name: "Acme",
      plan: "pro",
      role: "owner",
    });

    const first = login.body.refreshToken as string;
    const rotated = await server.request("POST", "/auth/refresh", { body: { refreshToken: first } });
    expect(rotated.status).toBe(200);
    const second = rotated.body.refreshToken as string;
    expect(second).not.toBe(first);
    const meAgain = await server.request("GET", "/auth/me", { token: rotated.body.accessToken });
    expect(meAgain.status).toBe(200);

    // The spent token comes back: someone copied it. The whole family dies, including `second`.
    const reuse = await server.request("POST", "/auth/refresh", { body: { refreshToken: first } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe("FD312");
    const afterReuse = await server.request("POST", "/auth/refresh", { body: { refreshToken: second } });
    expect(afterReuse.status).toBe(401);

    // Another session (a new login) is a separate family and survives; logout ends it.
    const other = await server.request("POST", "/auth/login", { body: { email, password } });
    expect(other.status).toBe(200);
    const logout = await server.request("POST", "/auth/logout", {
      body: { refreshToken: other.body.refreshToken },
    });
    expect(logout.status).toBe(204);
    const afterLogout = await server.request("POST", "/auth/refresh", {
      body: { refreshToken: other.body.refreshToken },
    });
    expect(afterLogout.status).toBe(401);
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const { body } = await registerAccount(server);
    const [a, b] = await Promise.all([
      server.request("POST", "/auth/refresh", { body: { refreshToken: body.refreshToken } }),
      server.request("POST", "/auth/refresh", { body: { refreshToken: body.refreshToken } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    // The loser looked like a replay, so the family is gone: the winner's new token is revoked too.
    const winner = a.status === 200 ? a : b;
    const next = await server.request("POST", "/auth/refresh", {
      body: { refreshToken: winner.body.refreshToken },
    });
    expect(next.status).toBe(401);
  });

  it("refuses forged and malformed refresh tokens without touching the real one", async () => {
    const { body } = await registerAccount(server);
    const real = body.refreshToken as string;
    const forged = `${real.slice(0, -4)}AAAA`;
    const answers: string[] = [];
    for (const refreshToken of [forged, "fdr.nope", "x".repeat(150)]) {
      const res = await server.request("POST", "/auth/refresh", { body: { refreshToken } });
      answers.push(`${res.status} ${res.body.error.code}`);
    }
    expect(answers).toEqual(["401 FD312", "401 FD312", "401 FD312"]);
    const ok = await server.request("POST", "/auth/refresh", { body: { refreshToken: real } });
    expect(ok.status).toBe(200);
  });

  it("answers 409 for a taken email and leaves no half-created tenant", async () => {
    const { email } = await registerAccount(server);
    const before = await countTenants(server);
    const again = await server.request("POST", "/auth/register", {
      body: { tenantName: "Copy", email: email.toUpperCase(), password: "another long password" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("FD315");
    expect(await countTenants(server)).toBe(before);
  });

  it("answers 401 for a wrong password, then 429 with Retry-After once throttled", async () => {
    const { email, password } = await registerAccount(server);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await server.request("POST", "/auth/login", { body: { email, password: "wrong" } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatchObject({ code: "FD311" });
    }
    // Throttled: even the right password is refused, so guessing cannot continue.
    const throttled = await server.request("POST", "/auth/login", { body: { email, password } });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe("FD314");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);

    const unknown = await server.request("POST", "/auth/login", {
      body: { email: "nobody@example.com", password: "whatever" },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("FD311");
  });

  it("refuses bodies with unknown fields, naming the field", async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        "/auth/register",
        { tenantName: "T", email: "a@example.com", password: "long enough password", tenantId: "x" },
        "/tenantId",
      ],
      [
        "/auth/register",
        { tenantName: "T", email: "b@example.com", password: "long enough password", role: "owner" },
        "/role",
      ],
      ["/auth/login", { email: "a@example.com", password: "x", tenantId: "x" }, "/tenantId"],
      ["/auth/login", { email: "a@example.com", password: "x", role: "admin" }, "/role"],
      ["/auth/refresh", { refreshToken: "x", tenantId: "y" }, "/tenantId"],
    ];
    for (const [path, body, field] of cases) {
      const res = await server.request("POST", path, { body });
      expect({ path, field, status: res.status, code: res.body.error.code }).toEqual({
        path,
        field,
        status: 400,
        code: "FD300",
      });
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.hint).toEqual(expect.any(String));
    }
    const polluted = await server.request("POST", "/auth/login", {
      rawBody: '{"email":"a@example.com","password":"x","__proto__":{"role":"owner"}}',
    });
    expect(polluted.status).toBe(400);
    expect(polluted.body.error.message).toContain("/__proto__");
    const missing = await server.request("POST", "/auth/login", { body: { email: "a@example.com" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      message: "Password is required.",
      details: { field: "/password" },
    });
  });

  it("never writes passwords or tokens to the log", async () => {
    const { password, body } = await registerAccount(server);
    await server.request("POST", "/auth/refresh", { body: { refreshToken: body.refreshToken } });
    const log = server.logLines.join("");
    expect(log).toContain('"msg":"request"');
    expect(log).not.toContain(password);
    expect(log).not.toContain(body.refreshToken);
    expect(log).not.toContain(body.accessToken);
  });
});

async function countTenants(server: TestServer): Promise<number> {
  return server.testDb.db.ownerTransaction(async (sql) => {
    const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tenants");
    return rows[0]!.n;
  });
}
