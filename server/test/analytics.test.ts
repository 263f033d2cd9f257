import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Rows are dated "N days ago, at noon UTC" relative to the database's own clock, so the expected day buckets
// hold whenever the suite runs.
const DAY_AT_NOON = `((now() AT TIME ZONE 'UTC')::date - $1::int)::timestamp AT TIME ZONE 'UTC' + interval '12 hours'`;

interface Usage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

describe.each(TEST_DATABASE_KINDS)("analytics on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let other: JsonBody;
  let viewer: string;
  const days: string[] = []; // days[k] = the UTC date k days ago

  async function run(
    tenantId: string,
    daysAgo: number,
    status: string,
    workflow: string,
    steps: Array<Usage | null> = [],
    // A customer's run of v1 through the API unless given; `test` is the editor's test run.
    { channel = "api", version = 1 }: { channel?: string; version?: number | null } = {},
  ) {
    await server.testDb.db.ownerTransaction(async (sql) => {
      const id = randomUUID();
      await sql.query(
        `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, input,
                           conversation_id, channel, created_at, updated_at)
         VALUES ($2, $3, $4, $6, 'none', $5, '{}', '{}', 'conversation', $7, ${DAY_AT_NOON}, ${DAY_AT_NOON})`,
        [daysAgo, tenantId, id, workflow, status, version, channel],
      );
      // The steps' records as the engine journals them: the data of their step.completed events.
      const finished = await sql.query<{ at: string }>(
        `SELECT to_char((${DAY_AT_NOON}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`,
        [daysAgo],
      );
      const at = finished.rows[0]!.at;
      const events = steps.map((usage, index) => ({
        type: "step.completed",
        data: {
          stepId: `main/n#${index + 1}`,
          node: "n",
          type: "agent",
          attempt: 1,
          status: "completed",
          port: null,
          output: null,
          ...(usage === null ? {} : { usage }),
          startedAt: at,
        },
        at,
      }));
      if (events.length > 0)
        await sql.query(
          `INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events) VALUES ($1, $2, 2, $3, $4::jsonb)`,
          [tenantId, id, 1 + events.length, JSON.stringify(events)],
        );
    });
  }

  // A lead a run captured keeps the run's channel (`test`: an editor test run); staff-entered ones have none.
  async function lead(tenantId: string, daysAgo: number, status: string, channel: string | null = null) {
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO leads (tenant_id, email, source, status, created_at, run_id, channel)
         VALUES ($2, $3, 'chat', $4, ${DAY_AT_NOON}, CASE WHEN $5::text IS NULL THEN NULL ELSE gen_random_uuid() END, $5)`,
        [daysAgo, tenantId, `${randomUUID()}@example.com`, status, channel],
      ),
    );
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Measured" })).body;
    other = (await registerAccount(server, { tenantName: "Noise" })).body;
    const email = `viewer-${randomUUID()}@example.com`;
    const invited = await server.request("POST", "/invitations", {
      token: owner.accessToken,
      body: { email, role: "viewer" },
    });
    viewer = (
      await server.request("POST", "/invitations/accept", {
        body: { token: invited.body.token, password: "a fine new password" },
      })
    ).body.accessToken;

    const a = owner.tenant.id as string;
    const b = other.tenant.id as string;
    // Today: 2 completed (one with two model steps and a step without usage), 1 handoff, 1 failed, 1 waiting.
    await run(a, 0, "completed", "faq", [
      { promptTokens: 100, completionTokens: 20, costUsd: 0.0012 },
      { promptTokens: 50, completionTokens: 5, costUsd: 0.0003 },
      null,
    ]);
    await run(a, 0, "completed", "faq");
    await run(a, 0, "handoff", "faq");
    await run(a, 0, "failed", "faq");
    await run(a, 0, "waiting", "faq");
    // Yesterday: 1 completed order run with one model step, 1 cancelled.
    await run(a, 1, "completed", "orders", [{ promptTokens: 1000, completionTokens: 200, costUsd: 0.01 }]);
    await run(a, 1, "cancelled", "orders");
    await run(a, 6, "handoff", "faq");
    // The editor's test runs today: a draft that resolves, with a model step, and a test of published v1 that
    // fails. Staff trying a flow, not customers: counted only when asked for.
    const draft = { channel: "test", version: null };
    await run(a, 0, "completed", "faq", [{ promptTokens: 70, completionTokens: 30, costUsd: 0.5 }], draft);
    await run(a, 0, "failed", "orders", [], { channel: "test", version: 1 });
    // A replay is never traffic, test runs or not.
    await run(a, 0, "completed", "faq", [], { channel: "replay" });
    // Outside 30 days, inside 60.
    for (let i = 0; i < 3; i += 1)
      await run(a, 40, "completed", "orders", [{ promptTokens: 7, completionTokens: 3, costUsd: 1 }]);
    // Another tenant's runs never count.
    for (let i = 0; i < 5; i += 1)
      await run(b, 0, "completed", "faq", [{ promptTokens: 999, completionTokens: 999, costUsd: 9 }]);

    for (const [status, channel] of [
      ["new", null],
      ["new", "web:3f1c"],
      ["contacted", "webhook:77aa"],
      ["qualified", null],
      ["won", "api"],
      ["won", null],
      ["lost", "web:3f1c"],
    ] as const)
      await lead(a, 3, status, channel);
    // Staff trying the lead flow in the editor: their own emails, won in one test, left new in another.
    await lead(a, 3, "won", "test");
    await lead(a, 2, "new", "test");
    await lead(a, 100, "won");
    for (let i = 0; i < 3; i += 1) await lead(b, 0, "won");

    const { rows } = await server.testDb.db.ownerTransaction((sql) =>
      sql.query<{ day: string }>(
        `SELECT to_char((now() AT TIME ZONE 'UTC')::date - k, 'YYYY-MM-DD') AS day FROM generate_series(0, 6) AS k ORDER BY k`,
      ),
    );
    days.push(...rows.map((row) => row.day));
  }, 90_000);
  afterAll(async () => {
    await server?.close();
  });

  const get = (path: string, token: string = viewer) => server.request("GET", path, { token });
  const zeroRuns = { total: 0, completed: 0, handoff: 0, failed: 0, cancelled: 0, open: 0 };

  it("counts runs per day by status, one entry per day, oldest first", async () => {
    const res = await get("/analytics/runs?days=7");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 7, from: days[6], to: days[0] });
    expect(res.body.items).toEqual([
      { day: days[6], ...zeroRuns, total: 1, handoff: 1 },
      ...[5, 4, 3, 2].map((k) => ({ day: days[k], ...zeroRuns })),
      { day: days[1], ...zeroRuns, total: 2, completed: 1, cancelled: 1 },
      { day: days[0], total: 5, completed: 2, handoff: 1, failed: 1, cancelled: 0, open: 1 },
    ]);
    const orders = await get("/analytics/runs?days=2&workflow=orders");
    expect(orders.body.items).toEqual([
      { day: days[1], ...zeroRuns, total: 2, completed: 1, cancelled: 1 },
      { day: days[0], ...zeroRuns },
    ]);
    const month = await get("/analytics/runs");
    expect(month.body.days).toBe(30);
    expect(month.body.items).toHaveLength(30);
    expect(month.body.items.reduce((sum: number, day: JsonBody) => sum + day.total, 0)).toBe(8);
  });

  it("computes resolution, handoff and failure rates of concluded runs", async () => {
    expect((await get("/analytics/resolution")).body).toMatchObject({
      days: 30,
      concluded: 6,
      completed: 3,
      handoff: 2,
      failed: 1,
      resolutionRate: 0.5,
      handoffRate: 0.3333,
      failureRate: 0.1667,
    });
    expect((await get("/analytics/resolution?days=60")).body).toMatchObject({
      concluded: 9,
      completed: 6,
      resolutionRate: 0.6667,
      handoffRate: 0.2222,
      failureRate: 0.1111,
    });
    expect((await get("/analytics/resolution?workflow=faq")).body).toMatchObject({
      concluded: 5,
      resolutionRate: 0.4,
      handoffRate: 0.4,
      failureRate: 0.2,
    });
    expect((await get("/analytics/resolution?days=1")).body).toMatchObject({
      concluded: 4,
      resolutionRate: 0.5,
      handoffRate: 0.25,
      failureRate: 0.25,
    });
    expect((await get("/analytics/resolution?workflow=nothing_here")).body).toMatchObject({
      concluded: 0,
      resolutionRate: null,
      handoffRate: null,
    });
  });

  it("measures lead conversion by status", async () => {
    expect((await get("/analytics/leads")).body).toMatchObject({
      days: 30,
      total: 7,
      byStatus: { new: 2, contacted: 1, qualified: 1, won: 2, lost: 1 },
      conversionRate: 0.2857,
      winRate: 0.6667,
    });
    expect((await get("/analytics/leads?days=365")).body).toMatchObject({
      total: 8,
      byStatus: { won: 3 },
      conversionRate: 0.375,
      winRate: 0.75,
    });
    expect((await get("/analytics/leads?days=2")).body).toMatchObject({
      total: 0,
      conversionRate: null,
      winRate: null,
    });
  });

  it("sums tokens and cost per day from the steps that called a model", async () => {
    const res = await get("/analytics/usage?days=2");
    expect(res.body).toEqual({
      days: 2,
      from: days[1],
      to: days[0],
      totals: {
        promptTokens: 1150,
        completionTokens: 225,
        totalTokens: 1375,
        costUsd: 0.0115,
        savedUsd: 0,
        modelSteps: 3,
      },
      items: [
        {
          day: days[1],
          promptTokens: 1000,
          completionTokens: 200,
          totalTokens: 1200,
          costUsd: 0.01,
          savedUsd: 0,
          modelSteps: 1,
        },
        {
          day: days[0],
          promptTokens: 150,
          completionTokens: 25,
          totalTokens: 175,
          costUsd: 0.0015,
          savedUsd: 0,
          modelSteps: 2,
        },
      ],
    });
    expect((await get("/analytics/usage?days=60")).body.totals).toEqual({
      promptTokens: 1171,
      completionTokens: 234,
      totalTokens: 1405,
      costUsd: 3.0115,
      savedUsd: 0,
      modelSteps: 6,
    });
    expect((await get("/analytics/usage?days=2&workflow=faq")).body.totals.totalTokens).toBe(175);
  });

  it("refuses a bad or missing-range days, unknown parameters, and anonymous callers", async () => {
    for (const query of ["days=0", "days=366", "days=abc", "days=1.5"]) {
      const res = await get(`/analytics/runs?${query}`);
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, "FD341"]);
      expect(res.body.error.message).toContain('"days"');
    }
    expect((await get("/analytics/runs?days=365")).body.items).toHaveLength(365);
    // A lead has no workflow of its own to filter by.
    const unknown = await get("/analytics/leads?workflow=faq");
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "FD340"]);
    expect((await server.request("GET", "/analytics/usage")).status).toBe(401);
  });

  it("leaves the editor's test runs out unless testRuns=include or testRuns=only asks for them", async () => {
    const today = async (query: string) => (await get(`/analytics/runs?days=1${query}`)).body.items[0];
    expect(await today("")).toMatchObject({ total: 5, completed: 2, failed: 1 });
    expect(await today("&testRuns=exclude")).toMatchObject({ total: 5, completed: 2, failed: 1 });
    expect(await today("&testRuns=only")).toMatchObject({ total: 2, completed: 1, failed: 1, handoff: 0 });
    expect(await today("&testRuns=include")).toMatchObject({ total: 7, completed: 3, failed: 2 });
    expect(await today("&testRuns=only&workflow=orders&version=1")).toMatchObject({ total: 1, failed: 1 });

    expect((await get("/analytics/resolution?days=1&testRuns=include")).body).toMatchObject({
      concluded: 6,
      completed: 3,
      failed: 2,
      resolutionRate: 0.5,
    });
    // No draft row in customers' numbers: only a test run runs a draft.
    const versions = async (query: string) =>
      (await get(`/analytics/workflows?days=1${query}`)).body.items.map(
        (item: JsonBody) => `${item.workflow}:${item.version ?? "draft"}:${item.runs}`,
      );
    expect(await versions("")).toEqual(["faq:1:5"]);
    expect(await versions("&testRuns=only")).toEqual(["faq:draft:1", "orders:1:1"]);
    expect(await versions("&testRuns=include")).toEqual(["faq:1:5", "faq:draft:1", "orders:1:1"]);

    const usage = async (query: string) => (await get(`/analytics/usage?days=1${query}`)).body.totals;
    expect(await usage("")).toMatchObject({ totalTokens: 175, costUsd: 0.0015 });
    expect(await usage("&testRuns=only")).toMatchObject({ totalTokens: 100, costUsd: 0.5 });
    expect(await usage("&testRuns=include")).toMatchObject({ totalTokens: 275, costUsd: 0.5015 });
  });

  it("refuses a testRuns value it does not know, naming the parameter", async () => {
    for (const path of [
      "/analytics/runs?testRuns=draft",
      "/analytics/workflows?testRuns=Include",
      "/analytics/usage?testRuns=",
      "/analytics/router?testRuns=exclude&testRuns=only",
    ]) {
      const res = await get(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, "FD341"]);
      expect(res.body.error.message).toContain('"testRuns"');
    }
    const leads = await get("/analytics/leads?testRuns=all");
    expect([leads.status, leads.body.error.code]).toEqual([400, "FD341"]);
  });

  it("leaves leads that the editor's test runs captured out of lead conversion unless asked", async () => {
    const leads = async (query: string) => (await get(`/analytics/leads${query}`)).body;
    // The customers' seven of "measures lead conversion by status": the two test leads change nothing.
    expect(await leads("")).toMatchObject({ total: 7, byStatus: { new: 2, won: 2 }, conversionRate: 0.2857 });
    expect(await leads("?testRuns=exclude")).toMatchObject({ total: 7, conversionRate: 0.2857 });
    expect(await leads("?testRuns=only")).toMatchObject({
      total: 2,
      byStatus: { new: 1, contacted: 0, qualified: 0, won: 1, lost: 0 },
      conversionRate: 0.5,
      winRate: 1,
    });
    expect(await leads("?testRuns=include")).toMatchObject({
      total: 9,
      byStatus: { new: 3, won: 3, lost: 1 },
      conversionRate: 0.3333,
      winRate: 0.75,
    });
    expect(await leads("?days=3&testRuns=include")).toMatchObject({ total: 1, byStatus: { new: 1 } });
  });

  it("shows another tenant only its own numbers", async () => {
    expect((await get("/analytics/resolution", other.accessToken)).body).toMatchObject({
      concluded: 5,
      completed: 5,
    });
    expect((await get("/analytics/leads", other.accessToken)).body).toMatchObject({
      total: 3,
      conversionRate: 1,
    });
    expect((await get("/analytics/usage?days=1", other.accessToken)).body.totals).toMatchObject({
      promptTokens: 4995,
      costUsd: 45,
    });
  });
});
