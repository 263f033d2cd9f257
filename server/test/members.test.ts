// Issue 19 item 4: members' roles change and members are removed, by owners and admins, never leaving a
// workspace without an owner; every change, login, registration and invitation acceptance is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

describe.each(TEST_DATABASE_KINDS)("members on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let stranger: JsonBody;
  const members: Record<string, { token: string; refreshToken: string; userId: string }> = {};

  /** Invites `email` with `role` and accepts: the new member's token and user id. */
  async function join(role: string, label: string, token = owner.accessToken as string) {
    const invited = await server.request("POST", "/invitations", {
      token,
      body: { email: `${label}-${kind}@example.com`, role },
    });
    expect(invited.status).toBe(201);
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: invited.body.token, password: "a fine new password" },
    });
    expect(accepted.status).toBe(200);
    return {
      token: accepted.body.accessToken as string,
      refreshToken: accepted.body.refreshToken as string,
      userId: accepted.body.user.id as string,
    };
  }
  const patch = (token: string, userId: string, role: string) =>
    server.request("PATCH", `/members/${userId}`, { token, body: { role } });
  const remove = (token: string, userId: string) => server.request("DELETE", `/members/${userId}`, { token });
  const roles = async () =>
    Object.fromEntries(
      (await server.request("GET", "/members", { token: owner.accessToken })).body.items.map(
        (m: JsonBody) => [m.userId, m.role],
      ),
    );

  beforeAll(async () => {
    server = await startTestServer(kind, { membershipCheckTtlMs: 60_000 });
    owner = (await registerAccount(server, { tenantName: "Team" })).body;
    stranger = (await registerAccount(server, { tenantName: "Elsewhere" })).body;
    members.admin = await join("admin", "admin");
    members.editor = await join("editor", "editor");
    members.viewer = await join("viewer", "viewer");
  });
  afterAll(() => server?.close());

  it("lists members with email and role to every member, only their own workspace's", async () => {
    const listed = await server.request("GET", "/members", { token: members.viewer!.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((m: JsonBody) => [m.email, m.role])).toEqual([
      [expect.stringMatching(/^owner/), "owner"],
      [`admin-${kind}@example.com`, "admin"],
      [`editor-${kind}@example.com`, "editor"],
      [`viewer-${kind}@example.com`, "viewer"],
    ]);
    const theirs = await server.request("GET", "/members", { token: stranger.accessToken });
    expect(theirs.body.items).toHaveLength(1);
    expect((await patch(stranger.accessToken, members.editor!.userId, "viewer")).status).toBe(404);
  });

  it("changes a role, audited, and the change applies to the member's next request", async () => {
    // The editor can write now (a cached confirmation, TTL 60 s) …
    expect(
      (
        await server.request("POST", "/crm/leads", {
          token: members.editor!.token,
          body: { email: "a@example.com" },
        })
      ).status,
    ).toBe(201);
    const changed = await patch(owner.accessToken, members.editor!.userId, "viewer");
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ userId: members.editor!.userId, role: "viewer", previousRole: "editor" });
    // … and not on the very next request, although the token still says editor.
    const refused = await server.request("POST", "/crm/leads", {
      token: members.editor!.token,
      body: { email: "b@example.com" },
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, "FD313"]);
    const audit = await server.request("GET", "/audit?action=member.role_change", {
      token: owner.accessToken,
    });
    expect(audit.body.items[0]).toMatchObject({
      actorId: owner.user.id,
      targetType: "user",
      targetId: members.editor!.userId,
      detail: { role: { from: "editor", to: "viewer" } },
    });
    expect((await patch(owner.accessToken, members.editor!.userId, "editor")).status).toBe(200);
  });

  it("lets admins manage editors and viewers only, and never grant admin or owner", async () => {
    const admin = members.admin!.token;
    expect((await patch(admin, members.viewer!.userId, "editor")).status).toBe(200);
    expect((await patch(admin, members.viewer!.userId, "viewer")).status).toBe(200);
    for (const [target, role] of [
      [owner.user.id, "viewer"],
      [members.viewer!.userId, "admin"],
      [members.viewer!.userId, "owner"],
    ] as const) {
      const res = await patch(admin, target, role);
      expect([res.status, res.body.error.code]).toEqual([403, "FD357"]);
    }
    const removeOwner = await remove(admin, owner.user.id);
    expect([removeOwner.status, removeOwner.body.error.code]).toEqual([403, "FD357"]);
    const byEditor = await patch(members.editor!.token, members.viewer!.userId, "editor");
    expect([byEditor.status, byEditor.body.error.code]).toEqual([403, "FD313"]);
    expect((await patch(owner.accessToken, members.viewer!.userId, "nobody")).status).toBe(400);
    expect(await roles()).toMatchObject({ [owner.user.id]: "owner", [members.viewer!.userId]: "viewer" });
  });

  it("never demotes or removes the last owner, also not themselves; with a second owner it may", async () => {
    for (const res of [
      await patch(owner.accessToken, owner.user.id, "admin"),
      await remove(owner.accessToken, owner.user.id),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([409, "FD356"]);
      expect(res.body.error.message).toMatch(/last owner/);
    }
    expect((await patch(owner.accessToken, members.admin!.userId, "owner")).status).toBe(200);
    // A promotion applies at the next refresh (a token is never worth more than when it was issued).
    const promoted = await server.request("POST", "/auth/refresh", {
      body: { refreshToken: members.admin!.refreshToken },
    });
    expect(promoted.body.tenant.role).toBe("owner");
    members.admin!.refreshToken = promoted.body.refreshToken;
    const coOwner = promoted.body.accessToken as string;
    // Two owners demoting each other at once: one wins, and the workspace keeps an owner.
    const [a, b] = await Promise.all([
      patch(owner.accessToken, members.admin!.userId, "admin"),
      patch(coOwner, owner.user.id, "admin"),
    ]);
    // The loser finds the last owner (409 FD356), or, when the winner's change reached its membership check
    // first, that it is no longer an owner (403 FD357: an admin does not change owners).
    const [won, lost] = [a.status, b.status].sort();
    expect(won).toBe(200);
    expect([403, 409]).toContain(lost);
    const current = await roles();
    expect(Object.values(current).filter((role) => role === "owner")).toHaveLength(1);
    // Back to the starting point, by whoever is the owner now: the original owner owns, the admin is admin.
    const survivor = current[owner.user.id] === "owner" ? owner.accessToken : coOwner;
    expect((await patch(survivor, owner.user.id, "owner")).status).toBe(200);
    expect((await patch(owner.accessToken, members.admin!.userId, "admin")).status).toBe(200);
    expect(await roles()).toMatchObject({ [owner.user.id]: "owner", [members.admin!.userId]: "admin" });
  });

  it("removes a member, audited: their token and sessions end at once, and they can leave by themselves", async () => {
    const gone = await join("editor", "leaving");
    expect((await remove(members.admin!.token, gone.userId)).status).toBe(204);
    const after = await server.request("GET", "/workflows", { token: gone.token });
    expect([after.status, after.body.error.code]).toEqual([401, "FD310"]);
    expect(await roles()).not.toHaveProperty(gone.userId);
    expect((await remove(members.admin!.token, gone.userId)).status).toBe(404);
    const audit = await server.request("GET", "/audit?action=member.remove", { token: owner.accessToken });
    expect(audit.body.items[0]).toMatchObject({
      actorId: members.admin!.userId,
      targetId: gone.userId,
      detail: { role: "editor" },
    });

    const quitter = await join("viewer", "quitter");
    expect((await remove(quitter.token, quitter.userId)).status).toBe(204);
    const left = await server.request("GET", "/audit?action=member.remove", { token: owner.accessToken });
    expect(left.body.items[0]).toMatchObject({
      actorId: quitter.userId,
      detail: { role: "viewer", left: true },
    });
  });

  it("audits registration, login and invitation acceptance", async () => {
    const login = await server.request("POST", "/auth/login", {
      body: { email: `viewer-${kind}@example.com`, password: "a fine new password" },
    });
    expect(login.status).toBe(200);
    const actions = (
      await server.request("GET", "/audit?limit=200", { token: owner.accessToken })
    ).body.items.map((row: JsonBody) => `${row.action}:${row.actorId}`);
    expect(actions).toContain(`user.register:${owner.user.id}`);
    expect(actions).toContain(`member.join:${members.viewer!.userId}`);
    expect(actions).toContain(`user.login:${members.viewer!.userId}`);
  });
});
