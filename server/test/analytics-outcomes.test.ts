import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Real runs of published flows (issue 17): the End node's `outcome` decides resolved / unresolved, and a run
// that a human took over counts as a handoff even after the agent hands it back and the bot completes it.
const flow = (name: string, outcome: string) => `name: ${name}
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Bye.", outcome: ${outcome} } }
edges:
  - { from: start, to: done }
`;
const DESK = `name: desk
nodes:
  - { name: start, type: start }
  - name: route
    type: router
    config:
      intents:
        - { name: human, examples: ["I want a person", "talk to a human", "agent please"] }
        - { name: order, examples: ["where is my order", "track my parcel"] }
  - { name: to_human, type: handoff, config: { message: "Connecting you.", reason: "asked", queue: support } }
  - { name: after, type: end, config: { reply: "Back with the bot.", outcome: resolved } }
edges:
  - { from: start, to: route }
  - { from: route, to: to_human }
  - { from: to_human, to: after }
`;

const SIGNUP = `name: signup
nodes:
  - { name: start, type: start }
  - { name: capture, type: tool.lead_capture, config: { email: "{{ input.email }}", interest: jackets } }
  - { name: done, type: end, config: { reply: "Thanks, we will be in touch." } }
edges:
  - { from: start, to: capture }
  - { from: capture, to: done }
`;

/** Setup checks: beforeAll may not assert, so a wrong setup throws with what went wrong. */
function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`analytics setup failed: expected ${what}`);
}

describe("analytics from real runs", () => {
  let server: TestServer;
  let owner: JsonBody;

  const call = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: owner.accessToken, ...(body === undefined ? {} : { body }) });

  async function publish(yaml: string) {
    const created = await call("POST", "/workflows", { yaml });
    must(created.status === 201, `${String(created.body.name ?? "a workflow")} is created`);
    must((await call("POST", `/workflows/${created.body.id}/publish`, {})).status === 201, "it is published");
  }

  async function start(workflow: string, message = "hello"): Promise<string> {
    const started = await call("POST", "/runs", { workflow, input: { message } });
    must(started.status === 202, `a ${workflow} run starts`);
    return started.body.id as string;
  }

  beforeAll(async () => {
    server = await startTestServer("pglite");
    owner = (await registerAccount(server, { tenantName: "Outcomes" })).body;
    await publish(flow("helped", "resolved"));
    await publish(flow("stuck", "unresolved"));
    await publish(DESK);
    for (const [workflow, count] of [
      ["helped", 2],
      ["stuck", 1],
    ] as const) {
      for (let i = 0; i < count; i += 1) {
        const done = await server.runs.settled(owner.tenant.id, await start(workflow), 10_000);
        must(done.status === "completed", `a ${workflow} run completes`);
      }
    }
    // Two handoffs: one still with a human, one handed back and completed by the bot (End says resolved).
    await server.runs.settled(owner.tenant.id, await start("desk", "I want a person"), 10_000);
    const back = await start("desk", "talk to a human");
    must(
      (await server.runs.settled(owner.tenant.id, back, 10_000)).status === "handoff",
      "the desk run hands off",
    );
    const handback = await call("POST", `/inbox/runs/${back}/handback`, { resolved: true });
    must(handback.body.handedBack === true, "the agent hands the run back");
    must(
      (await server.runs.settled(owner.tenant.id, back, 10_000)).status === "completed",
      "the bot completes it",
    );
  }, 90_000);
  afterAll(async () => {
    await server?.close();
  });

  it("counts End outcomes and every handed-off run as a handoff, also when handed back", async () => {
    const res = await call("GET", "/analytics/resolution?days=1");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      concluded: 5,
      completed: 3,
      resolved: 2,
      unresolved: 1,
      escalated: 0,
      handoff: 2,
      failed: 0,
      resolutionRate: 0.4,
      handoffRate: 0.4,
      failureRate: 0,
    });
    expect(res.body.items).toEqual([
      { day: res.body.to, resolved: 2, unresolved: 1, escalated: 0, handoff: 2, failed: 0 },
    ]);
    expect((await call("GET", "/analytics/resolution?workflow=desk")).body).toMatchObject({
      concluded: 2,
      resolved: 0,
      handoff: 2,
      resolutionRate: 0,
      handoffRate: 1,
    });
  });

  it("breaks outcomes down per workflow and version, and filters by version", async () => {
    const res = await call("GET", "/analytics/workflows");
    expect(res.body.items).toEqual([
      expect.objectContaining({ workflow: "desk", version: 1, runs: 2, handoff: 2, handoffRate: 1 }),
      expect.objectContaining({ workflow: "helped", version: 1, runs: 2, resolved: 2, resolutionRate: 1 }),
      expect.objectContaining({ workflow: "stuck", version: 1, runs: 1, unresolved: 1, resolutionRate: 0 }),
    ]);
    expect(
      (await call("GET", "/analytics/runs?days=1&workflow=helped&version=1")).body.items[0],
    ).toMatchObject({
      total: 2,
      completed: 2,
    });
    expect((await call("GET", "/analytics/resolution?workflow=helped&version=2")).body.concluded).toBe(0);
    const bad = await call("GET", "/analytics/workflows?version=0");
    expect([bad.status, bad.body.error.code]).toEqual([400, "FD341"]);
  });

  it("counts router decisions by the tier that decided", async () => {
    const res = await call("GET", "/analytics/router?days=1");
    expect(res.body.totals).toEqual({
      decisions: 2,
      local: 2,
      embeddings: 0,
      llm: 0,
      other: 0,
      localRate: 1,
    });
    expect(res.body.items).toEqual([{ day: res.body.to, local: 2, embeddings: 0, llm: 0, other: 0 }]);
    expect((await call("GET", "/analytics/router?workflow=helped")).body.totals.decisions).toBe(0);
  });

  it("keeps a test run of the draft, as the builder starts one, out of the default numbers", async () => {
    const started = await call("POST", "/runs", { workflow: "stuck", draft: true, input: { message: "hi" } });
    expect(started.body).toMatchObject({ channel: "test", workflowVersion: null });
    expect((await server.runs.settled(owner.tenant.id, started.body.id, 10_000)).status).toBe("completed");
    const stuck = async (query: string) =>
      (await call("GET", `/analytics/workflows?workflow=stuck${query}`)).body.items.map((item: JsonBody) => [
        item.version,
        item.runs,
        item.unresolved,
      ]);
    expect(await stuck("")).toEqual([[1, 1, 1]]);
    expect(await stuck("&testRuns=only")).toEqual([[null, 1, 1]]);
    expect(await stuck("&testRuns=include")).toEqual([
      [1, 1, 1],
      [null, 1, 1],
    ]);
    expect((await call("GET", "/analytics/resolution?days=1")).body.concluded).toBe(5);
    expect((await call("GET", "/analytics/resolution?days=1&testRuns=include")).body.concluded).toBe(6);
  });

  it("keeps the run that captured a lead, and leaves a test run's lead out of lead conversion", async () => {
    await publish(SIGNUP);
    const customer = await call("POST", "/runs", { workflow: "signup", input: { email: "ana@example.com" } });
    const staff = await call("POST", "/runs", {
      workflow: "signup",
      draft: true,
      input: { email: "me@our-shop.example" },
    });
    for (const run of [customer, staff])
      expect((await server.runs.settled(owner.tenant.id, run.body.id, 10_000)).status).toBe("completed");
    const leads = (await call("GET", "/crm/leads")).body.items.map((lead: JsonBody) => [
      lead.email,
      lead.runId,
      lead.channel,
    ]);
    expect(leads).toEqual(
      expect.arrayContaining([
        ["ana@example.com", customer.body.id, "api"],
        ["me@our-shop.example", staff.body.id, "test"],
      ]),
    );
    expect(leads).toHaveLength(2);
    const conversion = async (query: string) =>
      (await call("GET", `/analytics/leads?days=1${query}`)).body.total as number;
    expect(await conversion("")).toBe(1);
    expect(await conversion("&testRuns=only")).toBe(1);
    expect(await conversion("&testRuns=include")).toBe(2);
  });
});
