import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { recordAudit } from "../src/audit/audit-store";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const HELLO =
  "name: audited\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: Hi } }\nedges:\n  - { from: start, to: done }\n";

async function member(server: TestServer, ownerToken: string, role: "admin" | "editor" | "viewer") {
  const email = `${role}-${randomUUID()}@example.com`;
  const invited = await server.request("POST", "/invitations", { token: ownerToken, body: { email, role } });
  const accepted = await server.request("POST", "/invitations/accept", {
    body: { token: invited.body.token, password: "a fine new password" },
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return { token: accepted.body.accessToken as string, userId: accepted.body.user.id as string, email };
}

describe.each(TEST_DATABASE_KINDS)("the audit log on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let other: JsonBody;
  let otherEmail: string;
  let admin: { token: string; userId: string };
  let editor: { token: string; userId: string; email: string };
  let viewer: { token: string; userId: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Audited" })).body;
    const elsewhere = await registerAccount(server, { tenantName: "Elsewhere" });
    other = elsewhere.body;
    otherEmail = elsewhere.email;
    admin = await member(server, owner.accessToken, "admin");
    editor = await member(server, owner.accessToken, "editor");
    viewer = await member(server, owner.accessToken, "viewer");
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const audit = (query = "", token: string = owner.accessToken) =>
    server.request("GET", `/audit${query}`, { token });
  const summary = (items: JsonBody[]) =>
    items.map((row) => [row.action, row.targetId, row.actorId, row.detail]);

  it("records every workflow change (create, save, publish, rollback, delete) with actor, target and detail", async () => {
    const as = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      server.request(method, path, {
        token: editor.token,
        ...(body === undefined ? {} : { body }),
        ...(headers ? { headers } : {}),
      });
    const created = await as("POST", "/workflows", { yaml: HELLO });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (
        await as(
          "PUT",
          `/workflows/${id}/draft`,
          { yaml: HELLO.replace("Hi", "Hello") },
          { "if-match": `"${id}.1"` },
        )
      ).status,
    ).toBe(200);
    // A stale save changes nothing and records nothing.
    expect(
      (await as("PUT", `/workflows/${id}/draft`, { yaml: HELLO }, { "if-match": `"${id}.1"` })).status,
    ).toBe(409);
    expect((await as("POST", `/workflows/${id}/publish`, { note: "v1" })).status).toBe(201);
    expect((await as("POST", `/workflows/${id}/rollback`, { version: 1 })).status).toBe(201);
    expect((await as("DELETE", `/workflows/${id}`)).status).toBe(204);

    const res = await audit(`?target=workflow:${id}`);
    expect(res.status).toBe(200);
    expect(summary(res.body.items)).toEqual([
      ["workflow.delete", id, editor.userId, {}],
      ["workflow.rollback", id, editor.userId, { version: 2, from: 1 }],
      ["workflow.publish", id, editor.userId, { version: 1 }],
      ["workflow.save_draft", id, editor.userId, { revision: 2 }],
      ["workflow.create", id, editor.userId, { name: "audited" }],
    ]);
    expect(res.body.items[0]).toMatchObject({ targetType: "workflow", requestId: expect.any(String) });
    expect(Date.parse(res.body.items[0].at)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(res.body.nextCursor).toBeNull();
  });

  it("records API key and invitation changes, without the invited email", async () => {
    const key = await server.request("POST", "/api-keys", {
      token: admin.token,
      body: { name: "Widget", scopes: ["chat"] },
    });
    expect((await server.request("DELETE", `/api-keys/${key.body.id}`, { token: admin.token })).status).toBe(
      204,
    );
    const invite = await server.request("POST", "/invitations", {
      token: admin.token,
      body: { email: "secret.person@example.com", role: "editor" },
    });
    expect(
      (await server.request("DELETE", `/invitations/${invite.body.id}`, { token: admin.token })).status,
    ).toBe(204);

    const keys = await audit("?action=api_key.*");
    expect(summary(keys.body.items)).toEqual([
      ["api_key.revoke", key.body.id, admin.userId, {}],
      ["api_key.create", key.body.id, admin.userId, { scopes: ["chat"], role: "editor", expiresAt: null }],
    ]);
    const invitations = await audit(`?target=invitation:${invite.body.id}`);
    expect(summary(invitations.body.items)).toEqual([
      ["invitation.revoke", invite.body.id, admin.userId, {}],
      ["invitation.create", invite.body.id, admin.userId, { role: "editor" }],
    ]);
    expect((await audit("?limit=200")).text).not.toContain("secret.person");
  });

  it("filters by actor, exact action, action prefix and since; pages newest first without gaps", async () => {
    for (const email of ["a1@example.com", "a2@example.com", "a3@example.com"]) {
      await server.request("POST", "/crm/customers", { token: editor.token, body: { email } });
    }
    // A write that fails (duplicate) leaves no audit row.
    expect(
      (
        await server.request("POST", "/crm/customers", {
          token: editor.token,
          body: { email: "a1@example.com" },
        })
      ).status,
    ).toBe(409);
    const creates = await audit("?action=customer.create");
    expect(creates.body.items).toHaveLength(3);

    const byEditor = (await audit(`?actor=${editor.userId}&limit=200`)).body.items as JsonBody[];
    expect(byEditor.length).toBe(9); // joining through the invitation, 5 workflow rows, 3 customers
    expect(byEditor.map((row) => row.action)).toContain("member.join");
    expect(new Set(byEditor.map((row) => row.actorId))).toEqual(new Set([editor.userId]));
    // The viewer changed nothing but joining.
    expect((await audit(`?actor=${viewer.userId}`)).body.items.map((row: JsonBody) => row.action)).toEqual([
      "member.join",
    ]);
    expect((await audit("?since=2999-01-01")).body.items).toEqual([]);
    const since = (await audit("?since=2000-01-01T00:00:00Z&limit=200")).body.items as JsonBody[];

    const all: JsonBody[] = [];
    let cursor: string | null = null;
    do {
      const page: JsonBody = await audit(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((row) => row.id)).toEqual(since.map((row) => row.id));
    expect(all.length).toBeGreaterThanOrEqual(12);
    const times = all.map((row) => Date.parse(row.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by a member's email in any case, as by their id, or by the system", async () => {
    const byId = (await audit(`?actor=${editor.userId}&limit=200`)).body.items as JsonBody[];
    expect(byId.length).toBeGreaterThan(1);
    for (const email of [editor.email, editor.email.toUpperCase(), ` ${editor.email} `]) {
      const res = await audit(`?actor=${encodeURIComponent(email)}&limit=200`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((row: JsonBody) => row.id)).toEqual(byId.map((row) => row.id));
    }
    const system = (await audit("?actor=system&limit=200")).body.items as JsonBody[];
    expect(system.map((row) => row.action)).toContain("tenant.set_plan");
    expect(new Set(system.map((row) => row.actorId))).toEqual(new Set([null]));
  });

  it("refuses an email no member of this workspace has, another workspace's members included", async () => {
    for (const email of ["nobody@example.com", otherEmail]) {
      const res = await audit(`?actor=${encodeURIComponent(email)}`);
      expect([res.status, res.body.error.code]).toEqual([400, "FD341"]);
      expect(res.body.error.message).toBe(`No member has the email "${email}" (query parameter "actor").`);
    }
    // The same email is a member's in its own workspace: only the tenancy told them apart.
    const theirs = await audit(`?actor=${encodeURIComponent(otherEmail)}`, other.accessToken);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((row: JsonBody) => row.action)).toContain("user.register");
    const ours = await audit(`?actor=${encodeURIComponent(editor.email)}`, other.accessToken);
    expect([ours.status, ours.body.error.code]).toEqual([400, "FD341"]);
  });

  it("keeps a webhook's path secret out of the log, on write and for rows written before", async () => {
    const db = server.testDb.db;
    const tenantId = owner.tenant.id as string;
    const slack = "https://hooks.slack.com/services/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";
    const discord = "https://discord.com/api/webhooks/1188887777666655554/Abc-DEF_ghi123-jklMNO456_pqrSTU";
    await db.transaction(
      (sql) =>
        recordAudit(sql, {
          actorId: null,
          action: "channel.update",
          targetType: "channel",
          targetId: "path-secrets",
          detail: { outboundUrl: { from: null, to: slack } },
        }),
      { tenantId },
    );
    const [written] = await db
      .transaction(
        (sql) =>
          sql.query<{ detail: JsonBody }>(
            "SELECT detail FROM audit_log WHERE target_id = 'path-secrets' ORDER BY seq DESC LIMIT 1",
          ),
        { tenantId },
      )
      .then((result) => result.rows);
    expect(JSON.stringify(written!.detail)).not.toContain("XyZ3kP9qLm2Rt8sVw1nBc7dF");
    await db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO audit_log (tenant_id, actor_id, action, target_type, target_id, detail, actor_type)
         VALUES ($1, NULL, 'channel.update', 'channel', 'path-secrets', $2::jsonb, 'system')`,
        [tenantId, JSON.stringify({ outboundUrl: { from: slack, to: discord } })],
      ),
    );
    const shown = (await audit("?target=channel:path-secrets")).body.items as JsonBody[];
    expect(shown.map((row) => row.detail.outboundUrl)).toEqual([
      {
        from: "https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED",
        to: "https://discord.com/api/webhooks/REDACTED/REDACTED",
      },
      { from: null, to: "https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED" },
    ]);
  });

  it("refuses unknown parameters and bad values, naming them", async () => {
    const unknown = await audit("?who=me");
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "FD340"]);
    for (const [query, name] of [
      ["?actor=me", "actor"],
      ["?actor=not%20an%20email@", "actor"],
      ["?action=Workflow.Publish", "action"],
      ["?target=Workflow", "target"],
      ["?since=yesterday", "since"],
      ["?cursor=abc", "cursor"],
      ["?limit=1000", "limit"],
    ] as const) {
      const res = await audit(query);
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, "FD341"]);
      expect(res.body.error.message).toContain(`"${name}"`);
    }
  });

  it("is for admins and owners only, and shows each tenant only its own rows", async () => {
    expect((await audit("", admin.token)).status).toBe(200);
    for (const token of [editor.token, viewer.token]) {
      const res = await audit("", token);
      expect([res.status, res.body.error.code]).toEqual([403, "FD313"]);
    }
    await server.request("POST", "/crm/leads", {
      token: other.accessToken,
      body: { email: "lead@example.com" },
    });
    const theirs = (await audit("?limit=200", other.accessToken)).body.items as JsonBody[];
    // Newest first: the lead, then the operator's plan change and the registration of registerAccount.
    expect(theirs.map((row) => row.action)).toEqual(["lead.create", "tenant.set_plan", "user.register"]);
  });

  it("is append-only for the app role, and RLS keeps rows in their tenant", async () => {
    const db = server.testDb.db;
    const tenantId = owner.tenant.id as string;
    await expect(
      db.transaction((sql) => sql.query("UPDATE audit_log SET action = 'x.y'"), { tenantId }),
    ).rejects.toThrow();
    await expect(db.transaction((sql) => sql.query("DELETE FROM audit_log"), { tenantId })).rejects.toThrow();
    await expect(
      db.transaction(
        (sql) =>
          sql.query(
            "INSERT INTO audit_log (tenant_id, action, target_type, target_id) VALUES ($1, 'x.y', 'x', '1')",
            [other.tenant.id],
          ),
        { tenantId },
      ),
    ).rejects.toThrow();
    const count = await db.transaction(
      (sql) =>
        sql.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id <> $1", [
          tenantId,
        ]),
      { tenantId },
    );
    expect(count.rows[0]!.n).toBe(0);
  });
});
