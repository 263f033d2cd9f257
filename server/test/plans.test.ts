import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { runCounterName } from "../src/plans/plan-usage";
import { startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const flow = (name: string) =>
  `name: ${name}\nnodes:\n  - { name: start, type: start }\n  - { name: ask_it, type: ask, config: { prompt: "Yes?", variable: said } }\n  - { name: done, type: end, config: { reply: ok } }\nedges:\n  - { from: start, to: ask_it }\n  - { from: ask_it, to: done }\n`;

describe.each(TEST_DATABASE_KINDS)("plans and limits on %s", (kind) => {
  let server: TestServer;
  let free: JsonBody;
  beforeAll(async () => {
    server = await startTestServer(kind);
    const res = await server.request("POST", "/auth/register", {
      body: {
        tenantName: "Free shop",
        email: `free-${kind}@example.com`,
        password: "a long enough password",
      },
    });
    free = res.body;
  });
  afterAll(() => server?.close());
  const call = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: free.accessToken, ...(body === undefined ? {} : { body }) });

  it("shows the plan, its limits and the usage at /tenants/current", async () => {
    const res = await call("GET", "/tenants/current");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Free shop",
      plan: "free",
      limits: PLAN_LIMITS.free,
      usage: { runsThisMonth: 0, seats: 1, workflows: 0 },
    });
  });

  it("refuses the workflow past the plan's allowance with 402 FD350 and saves nothing", async () => {
    const allowed = PLAN_LIMITS.free.workflows!;
    for (let i = 0; i < allowed; i += 1)
      expect((await call("POST", "/workflows", { yaml: flow(`flow_${i}`) })).status).toBe(201);
    const refused = await call("POST", "/workflows", { yaml: flow("one_too_many") });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: "FD350",
      details: { limit: "workflows", allowed, used: allowed },
    });
    const names = (await call("GET", "/workflows")).body.items.map((w: JsonBody) => w.name);
    expect(names).toHaveLength(allowed);
    expect(names).not.toContain("one_too_many");
  });

  it("refuses seats past the plan, counting pending invitations", async () => {
    const seats = PLAN_LIMITS.free.seats!;
    for (let i = 1; i < seats; i += 1) {
      expect(
        (await call("POST", "/invitations", { email: `member${i}@example.com`, role: "editor" })).status,
      ).toBe(201);
    }
    const refused = await call("POST", "/invitations", { email: "extra@example.com", role: "viewer" });
    expect(refused.status).toBe(402);
    expect(refused.body.error.details).toMatchObject({ limit: "seats", used: seats });
  });

  it("meters runs per month and refuses with 402 once they are used up", async () => {
    const id = (await call("GET", "/workflows")).body.items[0].id;
    await call("POST", `/workflows/${id}/publish`, {});
    expect((await call("POST", "/runs", { workflowId: id })).status).toBe(202);
    // Starts are counted in memory and stored in batches: the usage shows the start shortly after.
    await expect.poll(async () => (await call("GET", "/tenants/current")).body.usage.runsThisMonth).toBe(1);
    // Jump to the end of the month's allowance instead of starting a thousand runs.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query("UPDATE tenant_counters SET value = $1 WHERE tenant_id = $2 AND name = $3", [
        PLAN_LIMITS.free.runsPerMonth! - 1,
        free.tenant.id,
        runCounterName(),
      ]),
    );
    expect((await call("POST", "/runs", { workflowId: id })).status).toBe(202);
    const refused = await call("POST", "/runs", { workflowId: id });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: "FD350", details: { limit: "runsPerMonth" } });
    const runs = (await call("GET", "/runs")).body.items;
    expect(runs).toHaveLength(2);
  });

  it("limits customer messages per minute with 429 FD352 and Retry-After", async () => {
    const id = (await call("GET", "/workflows")).body.items[0].id;
    // Back under the monthly allowance so the messages may start runs.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query("UPDATE tenant_counters SET value = 0 WHERE tenant_id = $1", [free.tenant.id]),
    );
    const send = (i: number) =>
      server.runs.message({
        tenantId: free.tenant.id,
        target: { kind: "published", workflowId: id },
        conversationId: `limit-${i}`,
        channel: "api",
        text: "hello",
      });
    const allowed = PLAN_LIMITS.free.messagesPerMinute!;
    for (let i = 0; i < allowed; i += 1) await send(i);
    const refused = await send(allowed).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({
      code: "FD352",
      status: 429,
      headers: { "Retry-After": expect.stringMatching(/^\d+$/) },
    });
  });

  it("lets the owner rename the tenant but not change its plan, which is the operator's", async () => {
    const res = await call("PATCH", "/tenants/current", { name: "Free shop, renamed" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Free shop, renamed", plan: "free", limits: PLAN_LIMITS.free });
    const audit = await call("GET", "/audit?action=tenant.update");
    expect(audit.body.items[0].detail).toEqual({ fields: ["name"] });
    for (const plan of ["pro", "platinum"]) {
      const refused = await call("PATCH", "/tenants/current", { plan });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "FD300", message: expect.stringContaining("/plan") });
    }
    expect((await call("GET", "/tenants/current")).body.plan).toBe("free");
    expect((await call("PATCH", "/tenants/current", { id: "x" })).status).toBe(400);
  });
});
