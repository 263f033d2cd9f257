// Issue 19 item 5: plans belong to the operator. Registration cannot choose a plan or a role, only
// `flowdeck tenant set-plan` (the schema owner) changes one, audited; inline mode keeps the plan's concurrency cap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeExecutor } from "@flowdeck/node-library/runtime";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import type { CliIo } from "../src/cli/io";
import { tenantCommand } from "../src/cli/tenant-command";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { createRunHost } from "../src/runs/create-run-host";
import { runServerMigrations } from "../src/store/server-migrations";
import { createWorkflow } from "../src/workflows/workflow-store";
import { startTestServer, type TestServer } from "./support/test-server";

function captureIo(): CliIo & { outLines: string[]; errors: string[] } {
  const outLines: string[] = [];
  const errors: string[] = [];
  return {
    out: (line) => void outLines.push(line),
    write: (text) => void outLines.push(text),
    err: (line) => void errors.push(line),
    readText: () => Promise.reject(new Error("no files")),
    writeText: () => Promise.reject(new Error("no files")),
    outLines,
    errors,
  };
}

describe("plans belong to the operator", () => {
  let server: TestServer;
  let databaseUrl: string;
  beforeAll(async () => {
    server = await startTestServer("pg");
    const url = new URL(
      process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    );
    url.pathname = `/${server.testDb.name}`;
    databaseUrl = url.toString();
  });
  afterAll(() => server?.close());

  const tenantCount = async () =>
    Number(
      (
        await server.testDb.db.ownerTransaction((sql) =>
          sql.query<{ n: string }>("SELECT count(*) AS n FROM tenants"),
        )
      ).rows[0]!.n,
    );

  it("refuses a registration body with `plan` or `role` (400 FD300 naming the field) and creates nothing", async () => {
    const before = await tenantCount();
    for (const [field, value] of [
      ["plan", "enterprise"],
      ["plan", "free"],
      ["role", "owner"],
    ] as const) {
      const res = await server.request("POST", "/auth/register", {
        body: {
          tenantName: "Sneaky",
          email: `sneaky-${field}-${value}@example.com`,
          password: "a long enough password",
          [field]: value,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "FD300", message: expect.stringContaining(`/${field}`) });
    }
    expect(await tenantCount()).toBe(before);
  });

  it("starts every registration on the default plan, audited as user.register; the owner cannot PATCH a plan", async () => {
    const res = await server.request("POST", "/auth/register", {
      body: { tenantName: "Plain", email: "plain@example.com", password: "a long enough password" },
    });
    expect(res.status).toBe(201);
    const token = res.body.accessToken as string;
    expect((await server.request("GET", "/tenants/current", { token })).body.plan).toBe("free");
    const audit = await server.request("GET", "/audit?action=user.register", { token });
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorId: res.body.user.id,
        targetId: res.body.user.id,
        detail: { plan: "free", role: "owner" },
      }),
    ]);
    const patched = await server.request("PATCH", "/tenants/current", {
      token,
      body: { plan: "enterprise" },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe("FD300");
    // Not even a route that tried could: flowdeck_app may update a tenant's name only (migration 1019).
    const direct = server.testDb.db.transaction(
      (sql) => sql.query("UPDATE tenants SET plan = 'enterprise'"),
      {
        tenantId: res.body.tenant.id,
      },
    );
    await expect(direct).rejects.toThrow(/permission denied/);
    expect((await server.request("GET", "/tenants/current", { token })).body.plan).toBe("free");
  });

  it("lets the operator change a plan with `flowdeck tenant set-plan`, by id or name, audited", async () => {
    const res = await server.request("POST", "/auth/register", {
      body: { tenantName: "Growing shop", email: "growing@example.com", password: "a long enough password" },
    });
    const token = res.body.accessToken as string;
    const tenantId = res.body.tenant.id as string;
    const env = { DATABASE_URL: databaseUrl };

    const io = captureIo();
    expect(await tenantCommand(io, ["set-plan", tenantId, "pro"], env)).toBe(0);
    expect(JSON.parse(io.outLines[0]!)).toEqual({
      event: "plan_changed",
      tenantId,
      tenantName: "Growing shop",
      from: "free",
      to: "pro",
    });
    const current = await server.request("GET", "/tenants/current", { token });
    expect(current.body).toMatchObject({ plan: "pro", limits: PLAN_LIMITS.pro });

    expect(await tenantCommand(captureIo(), ["set-plan", "Growing shop", "enterprise"], env)).toBe(0);
    const audit = await server.request("GET", "/audit?action=tenant.set_plan", { token });
    expect(
      audit.body.items.map((item: { actorId: unknown; targetId: unknown; detail: unknown }) => item),
    ).toEqual([
      expect.objectContaining({
        actorId: null,
        targetType: "tenant",
        targetId: tenantId,
        detail: { plan: { from: "pro", to: "enterprise" }, via: "cli", by: "operator" },
      }),
      expect.objectContaining({ detail: { plan: { from: "free", to: "pro" }, via: "cli", by: "operator" } }),
    ]);

    const unknownTenant = captureIo();
    expect(await tenantCommand(unknownTenant, ["set-plan", "No such shop", "pro"], env)).toBe(1);
    expect(unknownTenant.errors[0]).toMatch(/^flowdeck: FD360 No tenant has the id or name "No such shop"/);
    const unknownPlan = captureIo();
    expect(await tenantCommand(unknownPlan, ["set-plan", tenantId, "platinum"], env)).toBe(1);
    expect(unknownPlan.errors[0]).toMatch(
      /^flowdeck: FD361 Unknown plan "platinum"; plans are free, pro, enterprise/,
    );
    await expect(tenantCommand(captureIo(), ["set-plan", tenantId], env)).rejects.toThrow(
      /usage: flowdeck tenant set-plan/,
    );
    expect((await server.request("GET", "/tenants/current", { token })).body.plan).toBe("enterprise");
  });
});

const BLOCKING_FLOW = `name: slow_call
nodes:
  - { name: start, type: start }
  - { name: call_out, type: tool.http, config: { method: GET, url: "https://orders.example.com/slow" } }
  - { name: done, type: end }
edges:
  - { from: start, to: call_out }
  - { from: call_out, to: done }
`;

describe("inline mode keeps the plan's concurrency cap", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("pg");
    await runServerMigrations(database.db);
  });
  afterAll(() => database?.close());

  it("runs at most the plan's concurrentRuns of a tenant at once, without holding other tenants back", async () => {
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // tool.http stands in for any slow step: it holds its slot until the test releases it.
    const slowCall: NodeExecutor = async (ctx) => {
      const tenant = ctx.tenant.id;
      running.set(tenant, (running.get(tenant) ?? 0) + 1);
      most.set(tenant, Math.max(most.get(tenant) ?? 0, running.get(tenant)!));
      await released;
      running.set(tenant, running.get(tenant)! - 1);
      return { output: { status: 200, body: {} } };
    };
    const host = createRunHost({
      db: database.db,
      log: silentServerLogger,
      engine: { executors: { "tool.http": slowCall } },
    });
    try {
      const free = await database.createTenant("Free shop", { plan: "free" });
      const pro = await database.createTenant("Pro shop", { plan: "pro" });
      const workflowOf = async (tenantId: string) =>
        (await database.db.transaction(
          (sql) =>
            createWorkflow(sql, { tenantId, name: "slow_call", yaml: BLOCKING_FLOW, userId: tenantId }),
          { tenantId },
        ))!;
      const freeFlow = await workflowOf(free);
      const proFlow = await workflowOf(pro);
      const launch = (tenantId: string, workflowId: string) =>
        host.start({ tenantId, target: { kind: "draft", workflowId }, input: {}, channel: "api" });

      const freeRuns = await Promise.all(Array.from({ length: 8 }, () => launch(free, freeFlow)));
      await expect.poll(() => running.get(free) ?? 0).toBe(PLAN_LIMITS.free.concurrentRuns);
      // The free tenant's six waiting runs do not stand in front of another tenant's.
      const proRuns = await Promise.all(Array.from({ length: 4 }, () => launch(pro, proFlow)));
      await expect.poll(() => running.get(pro) ?? 0).toBe(4);
      expect(running.get(free)).toBe(PLAN_LIMITS.free.concurrentRuns);

      release();
      for (const run of [...freeRuns, ...proRuns]) {
        expect((await host.settled(run.tenantId, run.id, 10_000)).status).toBe("completed");
      }
      expect(most.get(free)).toBe(PLAN_LIMITS.free.concurrentRuns);
      expect(most.get(pro)).toBe(4);
    } finally {
      release();
      await host.close();
    }
  });
});
