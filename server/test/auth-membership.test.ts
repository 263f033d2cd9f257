import { randomUUID } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@flowdeck/runtime";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { createApp } from "../src/app/create-app";
import { noteMemberChanged } from "../src/auth/membership-changes";
import { silentServerLogger } from "../src/kit/logger";
import { serverConfig } from "../src/config/server-config";
import { createRunHost } from "../src/runs/create-run-host";
import { socketUrl, upgradeStatus } from "./chat-support";
import {
  registerAccount,
  startTestServer,
  TEST_JWT_SECRET,
  type JsonBody,
  type TestServer,
} from "./support/test-server";

/**
 * The auth boundary with the signing secret in the attacker's hands: a token it signs is only as good as the
 * membership and session it names (membership-check.ts).
 */
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

function forge(claims: { sub: string; tid: string; role: string; sid: string }): Promise<string> {
  return new SignJWT({ tid: claims.tid, role: claims.role, sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer("flowdeck")
    .setAudience("flowdeck-api")
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(secret);
}

function sessionOf(accessToken: string): string {
  return String(decodeJwt(accessToken).sid);
}

/** Row counts of the tables a forged token went after, across all tenants (as the owner, outside RLS). */
async function counts(db: Database): Promise<Record<string, number>> {
  return db.ownerTransaction(async (sql) => {
    const out: Record<string, number> = {};
    for (const table of ["invitations", "memberships", "customers", "orders", "channels", "audit_log"]) {
      const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      out[table] = Number(rows[0]!.n);
    }
    return out;
  });
}

async function setRole(db: Database, tenantId: string, userId: string, role: string | null): Promise<void> {
  await db.ownerTransaction(async (sql) => {
    if (role === null) {
      await sql.query("DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2", [tenantId, userId]);
    } else {
      await sql.query(
        `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role`,
        [tenantId, userId, role],
      );
    }
  });
}

describe.each(TEST_DATABASE_KINDS)("access tokens bound to memberships on %s", (kind) => {
  // TTL 0: every request asks the database, so a change made behind the process's back shows at once.
  let server: TestServer;
  let victim: JsonBody;
  let outsider: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind, { membershipCheckTtlMs: 0 });
    victim = (await registerAccount(server, { tenantName: "Victim" })).body;
    outsider = (await registerAccount(server, { tenantName: "Outsider" })).body;
    const made = await server.request("POST", "/crm/customers", {
      token: victim.accessToken,
      body: { email: "customer@example.com", name: "Ann" },
    });
    if (made.status !== 201) throw new Error(`customer not created: ${made.status} ${made.text}`);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function inviteAs(token: string, role = "admin") {
    return server.request("POST", "/invitations", {
      token,
      body: { email: `invitee-${randomUUID()}@example.com`, role },
    });
  }

  it("refuses a forged owner token for a real non-member (401 on reads and on POST /invitations, nothing written)", async () => {
    const forged = await forge({
      sub: outsider.user.id,
      tid: victim.tenant.id,
      role: "owner",
      // The outsider's real, live session, only in another tenant.
      sid: sessionOf(outsider.accessToken),
    });
    const before = await counts(server.testDb.db);
    const answers: Record<string, string> = {};
    for (const path of ["/crm/customers", "/orders", "/channels", "/invitations"]) {
      const res = await server.request("GET", path, { token: forged });
      answers[`GET ${path}`] = `${res.status} ${res.body.error?.code}`;
    }
    const invited = await inviteAs(forged);
    answers["POST /invitations"] = `${invited.status} ${invited.body.error?.code}`;
    expect(answers).toEqual({
      "GET /crm/customers": "401 FD310",
      "GET /orders": "401 FD310",
      "GET /channels": "401 FD310",
      "GET /invitations": "401 FD310",
      "POST /invitations": "401 FD310",
    });
    expect(invited.text).not.toContain("stack");
    // Staff test-run sockets take the same tokens: refused before the handshake.
    const socket = await upgradeStatus(socketUrl(server, { token: forged, workflow: randomUUID() }));
    expect(`${socket.status} ${socket.body}`).toMatch(/^401 .*FD310/);
    expect(await counts(server.testDb.db)).toEqual(before);
    // The same owner's real token still works: the refusal is about the claim, not the tenant.
    expect((await server.request("GET", "/crm/customers", { token: victim.accessToken })).status).toBe(200);
  });

  it("answers 401, not 500, to a forged token naming an unknown user or session", async () => {
    const before = await counts(server.testDb.db);
    const unknownUser = await forge({
      sub: randomUUID(),
      tid: victim.tenant.id,
      role: "owner",
      sid: randomUUID(),
    });
    // The victim's own user id, but a session that never existed: the id alone is not enough.
    const unknownSession = await forge({
      sub: victim.user.id,
      tid: victim.tenant.id,
      role: "owner",
      sid: randomUUID(),
    });
    // Not even a UUID: it would reach SQL (and app.tenant_id) as a cast error, a 500, if it got that far.
    const notAnId = await forge({ sub: "admin", tid: "victim", role: "owner", sid: "1" });
    for (const token of [unknownUser, unknownSession, notAnId]) {
      const invited = await inviteAs(token);
      expect(`${invited.status} ${invited.body.error.code}`).toBe("401 FD310");
      const read = await server.request("GET", "/crm/customers", { token });
      expect(`${read.status} ${read.body.error.code}`).toBe("401 FD310");
    }
    expect(await counts(server.testDb.db)).toEqual(before);
  });

  it("holds a demoted member to the current role and refuses a removed member", async () => {
    const { body: owner } = await registerAccount(server, { tenantName: "Shrinking" });
    const second = await inviteAs(owner.accessToken, "admin");
    const joined = await server.request("POST", "/invitations/accept", {
      body: { token: second.body.token, password: "the admin's password" },
    });
    expect(joined.status).toBe(200);
    const adminToken = joined.body.accessToken as string;
    expect((await inviteAs(adminToken, "editor")).status).toBe(201);

    await setRole(server.testDb.db, owner.tenant.id, joined.body.user.id, "viewer");
    const demoted = await inviteAs(adminToken, "editor");
    expect(`${demoted.status} ${demoted.body.error.code}`).toBe("403 FD313");
    // A viewer still reads, with the role the membership has now.
    expect((await server.request("GET", "/crm/customers", { token: adminToken })).status).toBe(200);
    const me = await server.request("GET", "/auth/me", { token: adminToken });
    expect(me.body.tenant.role).toBe("viewer");

    // The owner's token claims owner; an owner demoted to editor acts as an editor.
    await setRole(server.testDb.db, owner.tenant.id, owner.user.id, "editor");
    const ownerDemoted = await inviteAs(owner.accessToken, "viewer");
    expect(`${ownerDemoted.status} ${ownerDemoted.body.error.code}`).toBe("403 FD313");
    await setRole(server.testDb.db, owner.tenant.id, owner.user.id, "owner");

    await setRole(server.testDb.db, owner.tenant.id, joined.body.user.id, null);
    const removed = await server.request("GET", "/crm/customers", { token: adminToken });
    expect(`${removed.status} ${removed.body.error.code}`).toBe("401 FD310");
  });

  it("voids a pending invitation whose inviter lost the standing to make it", async () => {
    const { body: owner } = await registerAccount(server, { tenantName: "Voiding" });
    const asAdmin = await inviteAs(owner.accessToken, "admin");
    const admin = await server.request("POST", "/invitations/accept", {
      body: { token: asAdmin.body.token, password: "the admin's password" },
    });
    const pending = await inviteAs(admin.body.accessToken, "editor");
    expect(pending.status).toBe(201);
    await setRole(server.testDb.db, owner.tenant.id, admin.body.user.id, null);
    const before = await counts(server.testDb.db);
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: pending.body.token, password: "the editor's password" },
    });
    expect(`${accepted.status} ${accepted.body.error.code}`).toBe("404 FD316");
    expect(await counts(server.testDb.db)).toEqual(before);
  });

  it("ends the session's access tokens at logout, and only that session's", async () => {
    const { email, password, body } = await registerAccount(server);
    const other = await server.request("POST", "/auth/login", { body: { email, password } });
    expect((await server.request("GET", "/auth/me", { token: body.accessToken })).status).toBe(200);
    const logout = await server.request("POST", "/auth/logout", {
      body: { refreshToken: body.refreshToken },
    });
    expect(logout.status).toBe(204);
    const after = await server.request("GET", "/auth/me", { token: body.accessToken });
    expect(`${after.status} ${after.body.error.code}`).toBe("401 FD310");
    expect((await server.request("GET", "/auth/me", { token: other.body.accessToken })).status).toBe(200);
  });

  it("refuses every old token once the signing secret is rotated", async () => {
    const { body } = await registerAccount(server);
    const rotated = serverConfig("a-rotated-secret-0123456789-abcdefghijklmnop", { bcryptCost: 4 });
    const runs = createRunHost({ db: server.testDb.db, log: silentServerLogger });
    const app = createApp({ db: server.testDb.db, config: rotated, log: silentServerLogger, runs });
    const listening = await new Promise<import("node:http").Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const { port } = listening.address() as import("node:net").AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/auth/me`, {
        headers: { authorization: `Bearer ${body.accessToken as string}` },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as JsonBody).error.code).toBe("FD310");
    } finally {
      listening.closeAllConnections();
      await new Promise<void>((resolve) => listening.close(() => resolve()));
      await runs.close();
    }
  });
});

describe("the membership cache (pg, membershipCheckTtlMs 60 s)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer("pg", { membershipCheckTtlMs: 60_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("trusts a change made behind the process's back until the TTL, but one noted here or a logout here at once", async () => {
    const { email, password, body } = await registerAccount(server);
    expect((await server.request("GET", "/crm/customers", { token: body.accessToken })).status).toBe(200);
    // Removed directly in the database (as another API process would): this process still trusts its answer.
    await setRole(server.testDb.db, body.tenant.id, body.user.id, null);
    expect((await server.request("GET", "/crm/customers", { token: body.accessToken })).status).toBe(200);
    await setRole(server.testDb.db, body.tenant.id, body.user.id, "owner");

    // A role change or removal made through this process (noteMemberChanged after its commit) applies at once.
    await setRole(server.testDb.db, body.tenant.id, body.user.id, "viewer");
    noteMemberChanged(body.tenant.id, body.user.id);
    const demoted = await server.request("POST", "/crm/customers", {
      token: body.accessToken,
      body: { email: "late@example.com" },
    });
    expect(`${demoted.status} ${demoted.body.error.code}`).toBe("403 FD313");
    await setRole(server.testDb.db, body.tenant.id, body.user.id, null);
    noteMemberChanged(body.tenant.id, body.user.id);
    expect((await server.request("GET", "/crm/customers", { token: body.accessToken })).status).toBe(401);
    await setRole(server.testDb.db, body.tenant.id, body.user.id, "owner");

    const second = await server.request("POST", "/auth/login", { body: { email, password } });
    expect((await server.request("GET", "/auth/me", { token: second.body.accessToken })).status).toBe(200);
    await server.request("POST", "/auth/logout", { body: { refreshToken: second.body.refreshToken } });
    const after = await server.request("GET", "/auth/me", { token: second.body.accessToken });
    expect(after.status).toBe(401);
  });
});
