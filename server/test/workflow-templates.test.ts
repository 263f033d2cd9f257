// Start from a template: the list, and a use that creates the template and the subflows it calls as drafts in
// the caller's workspace only, with the plan's workflow limit, roles and audit of POST /workflows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const SEED_DIR = join(import.meta.dirname, "../../workflows");
const seedText = (name: string) => readFileSync(join(SEED_DIR, `${name}.yaml`), "utf8");
const SUPPORT_SUBFLOWS = [
  "faq_handling",
  "order_management",
  "lead_capture",
  "complaint_handling",
  "technical_support",
];

describe.each(TEST_DATABASE_KINDS)("workflow templates on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server)).body;
  });
  afterAll(() => server?.close());

  const as = (token: string) => (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  const names = async (token: string) =>
    ((await as(token)("GET", "/workflows")).body.items as JsonBody[]).map((w) => w.name as string).sort();

  it("lists the seed flows with a title, description, node count and the subflows each needs", async () => {
    const res = await as(owner.accessToken)("GET", "/workflow-templates");
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: JsonBody) => t.name)).toEqual([
      "customer_support_workflow",
      "faq_handling",
      "order_management",
      "technical_support",
      "complaint_handling",
      "lead_capture",
      "example_workflow",
    ]);
    const support = res.body.items[0];
    expect(support).toEqual({
      name: "customer_support_workflow",
      title: "Customer support router",
      description: "Greets the customer, works out what they need and hands them to the right support flow",
      category: "support",
      nodeCount: 15,
      subflows: SUPPORT_SUBFLOWS,
      existingWorkflowId: null,
      workflowsToCreate: 6,
    });
    expect(res.body.items.find((t: JsonBody) => t.name === "faq_handling")).toMatchObject({
      title: "FAQ answers",
      nodeCount: 10,
      subflows: [],
      workflowsToCreate: 1,
    });
    expect(res.body).toMatchObject({ plan: "pro", workflowsLeft: PLAN_LIMITS.pro.workflows });
  });

  it("uses a template: a draft of the file's text in the caller's workspace, audited, nowhere else", async () => {
    const other = (await registerAccount(server)).body;
    const used = await as(owner.accessToken)("POST", "/workflow-templates/faq_handling/use");
    expect(used.status).toBe(201);
    expect(used.body).toEqual({ items: [{ id: expect.any(String), name: "faq_handling" }], reused: [] });
    const draft = await as(owner.accessToken)("GET", `/workflows/${used.body.items[0].id}`);
    // Byte for byte, the seed's comments included; a draft, not published.
    expect(draft.body).toMatchObject({
      name: "faq_handling",
      yaml: seedText("faq_handling"),
      latestVersion: null,
      errorCount: 0,
    });
    expect(await names(other.accessToken)).toEqual([]);
    expect((await as(other.accessToken)("GET", `/workflows/${used.body.items[0].id}`)).status).toBe(404);

    const audit = await as(owner.accessToken)("GET", "/audit?action=workflow.create");
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: "workflow.create",
        targetId: used.body.items[0].id,
        detail: { name: "faq_handling", template: "faq_handling" },
      }),
    ]);
    const listed = await as(owner.accessToken)("GET", "/workflow-templates");
    expect(listed.body.items.find((t: JsonBody) => t.name === "faq_handling").existingWorkflowId).toBe(
      used.body.items[0].id,
    );
    // The router would now create itself and the four flows the workspace still lacks.
    expect(listed.body.items[0].workflowsToCreate).toBe(5);
  });

  it("answers a second use of the same template with 409 FD333 naming the workflow, and creates nothing", async () => {
    const before = await names(owner.accessToken);
    const again = await as(owner.accessToken)("POST", "/workflow-templates/faq_handling/use");
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "FD333",
      message: 'A workflow named "faq_handling" already exists: open it, or rename it first.',
      details: { name: "faq_handling", workflowId: expect.any(String) },
    });
    expect(await names(owner.accessToken)).toEqual(before);
  });

  it("creates the support router with the five flows it calls, main first, keeping one the workspace has", async () => {
    const fresh = (await registerAccount(server)).body;
    const used = await as(fresh.accessToken)("POST", "/workflow-templates/customer_support_workflow/use");
    expect(used.status).toBe(201);
    expect(used.body.items.map((w: JsonBody) => w.name)).toEqual([
      "customer_support_workflow",
      ...SUPPORT_SUBFLOWS,
    ]);
    expect(used.body.reused).toEqual([]);
    expect(await names(fresh.accessToken)).toEqual(["customer_support_workflow", ...SUPPORT_SUBFLOWS].sort());
    const drafts = (await as(fresh.accessToken)("GET", "/workflows")).body.items as JsonBody[];
    expect(drafts.every((w) => w.latestVersion === null)).toBe(true);

    // The owner's workspace already has faq_handling (above): it is kept, not copied or replaced.
    const kept = (await as(owner.accessToken)("GET", "/workflows")).body.items.find(
      (w: JsonBody) => w.name === "faq_handling",
    );
    const second = await as(owner.accessToken)("POST", "/workflow-templates/customer_support_workflow/use");
    expect(second.status).toBe(201);
    expect(second.body.items.map((w: JsonBody) => w.name)).toEqual([
      "customer_support_workflow",
      ...SUPPORT_SUBFLOWS.filter((name) => name !== "faq_handling"),
    ]);
    expect(second.body.reused).toEqual(["faq_handling"]);
    const after = (await as(owner.accessToken)("GET", "/workflows")).body.items.find(
      (w: JsonBody) => w.name === "faq_handling",
    );
    expect(after).toMatchObject({ id: kept.id, revision: kept.revision });
  });

  // What the editor tells people after using the router (editor/src/workflows/template-words.ts): it can be
  // published while its subflows are drafts. A conversation it sends to one of them used to stop there, the run
  // `running` and no answer (the engine's FD203 escaped the step); the subflow's step now fails like any step,
  // so the router's error edge hands the customer to a person.
  it("publishes the router before its subflows; a conversation sent to an unpublished one reaches a person", async () => {
    const fresh = (await registerAccount(server, { tenantName: "Trail Shop" })).body;
    const call = as(fresh.accessToken);
    const used = await call("POST", "/workflow-templates/customer_support_workflow/use");
    const ids = new Map<string, string>(used.body.items.map((w: JsonBody) => [w.name, w.id]));
    expect(
      (await call("POST", `/workflows/${ids.get("customer_support_workflow")}/publish`, {})).status,
    ).toBe(201);
    const start = async () => {
      const started = await call("POST", "/runs", {
        workflow: "customer_support_workflow",
        input: { message: "What is your return policy?" },
      });
      expect(started.status).toBe(202);
      return started.body.id as string;
    };

    const unpublished = await start();
    await server.runs.settled(fresh.tenant.id, unpublished, 15_000);
    const detail = (await call("GET", `/runs/${unpublished}`)).body;
    expect(detail.status).toBe("handoff");
    const failed = detail.steps.find((step: JsonBody) => step.nodeName === "faq_flow");
    expect(failed).toMatchObject({ status: "failed", error: { code: "FD203" } });
    expect(failed.error.message).toContain(
      'calls "faq_handling", which does not exist or has no published version',
    );
    const sent = detail.events
      .filter((e: JsonBody) => e.type === "message.sent")
      .map((e: JsonBody) => e.data.text);
    expect(sent.length).toBeGreaterThan(1);

    expect((await call("POST", `/workflows/${ids.get("faq_handling")}/publish`, {})).status).toBe(201);
    const answered = await start();
    await server.runs.settled(fresh.tenant.id, answered, 15_000);
    const reached = (await call("GET", `/runs/${answered}`)).body;
    expect(reached.steps.map((step: JsonBody) => step.nodeName)).toEqual(
      expect.arrayContaining(["classify_intent", "search_kb"]),
    );
  }, 60_000);

  it("answers an unknown template with 404 FD338", async () => {
    const res = await as(owner.accessToken)("POST", "/workflow-templates/no_such_flow/use");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      code: "FD338",
      message: 'There is no template named "no_such_flow".',
    });
  });

  it("lets a viewer list the templates but not use one", async () => {
    const invited = await as(owner.accessToken)("POST", "/invitations", {
      email: `viewer-${kind}@example.com`,
      role: "viewer",
    });
    const viewer = (
      await server.request("POST", "/invitations/accept", {
        body: { token: invited.body.token, password: "a fine new password" },
      })
    ).body;
    expect((await as(viewer.accessToken)("GET", "/workflow-templates")).status).toBe(200);
    const before = await names(owner.accessToken);
    expect(before).not.toContain("example_workflow");
    const refused = await as(viewer.accessToken)("POST", "/workflow-templates/example_workflow/use");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FD313");
    expect(await names(owner.accessToken)).toEqual(before);
  });

  it("keeps to the plan's workflow limit: all of a template's workflows are created, or none", async () => {
    const free = (await registerAccount(server, { plan: "free" })).body;
    const call = as(free.accessToken);
    const allowed = PLAN_LIMITS.free.workflows!;
    expect(allowed).toBeLessThan(6);
    const listed = await call("GET", "/workflow-templates");
    expect(listed.body).toMatchObject({ plan: "free", workflowsLeft: allowed });

    const refused = await call("POST", "/workflow-templates/customer_support_workflow/use");
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: "FD350",
      message: `"Customer support router" creates 6 workflows (customer_support_workflow and the 5 flows it calls); the free plan allows ${allowed} workflows and this workspace has 0.`,
      details: { limit: "workflows", allowed, used: 0, needed: 6 },
    });
    expect(await names(free.accessToken)).toEqual([]);

    for (const name of ["faq_handling", "order_management", "lead_capture", "complaint_handling"]) {
      expect((await call("POST", `/workflow-templates/${name}/use`)).status).toBe(201);
    }
    // One place left, and the router needs itself and technical_support.
    const partly = await call("POST", "/workflow-templates/customer_support_workflow/use");
    expect(partly.status).toBe(402);
    expect(partly.body.error.message).toBe(
      `"Customer support router" creates 2 workflows (customer_support_workflow and 1 of the 5 flows it calls, which this workspace does not have yet); the free plan allows ${allowed} workflows and this workspace has 4.`,
    );
    expect((await call("POST", "/workflow-templates/example_workflow/use")).status).toBe(201);
    const full = await call("POST", "/workflow-templates/technical_support/use");
    expect(full.status).toBe(402);
    expect(full.body.error.details).toMatchObject({ allowed, used: allowed, needed: 1 });
    expect(await names(free.accessToken)).toHaveLength(allowed);
  });
});
