import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModelGateway } from "../../src/models/model-gateway";
import type { FakeToolCall } from "../support/fake-openai-types";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";

// An agent runs only the tool nodes it lists, and only so many per answer and per step, whatever the model
// answers. The model is the real `openai` client against the fake server, which plays a model that asks for
// anything: other tool nodes of the flow, non-tool nodes, made-up names, a thousand calls at once.

const TOOL_NODES = `
  - name: open_ticket
    type: tool.ticket_create
    description: Opens a support ticket
    config: { subject: "{{ input.subject }}", description: "{{ input.details }}", priority: low }
  - name: cancel_any
    type: tool.order_update
    description: Cancels an order
    config: { order_id: "{{ input.order_id }}", customer_email: "{{ input.email }}", action: cancel }
  - { name: done, type: end }
edges:
  - { from: start, to: helper }
  - { from: helper, to: done }
`;

const agentFlow = (name: string, settings: string) => `name: ${name}
nodes:
  - { name: start, type: start }
  - name: helper
    type: agent
    config:
      prompt_template: "{{ input.message }}"
${settings}${TOOL_NODES}`;

const FLOWS = [
  agentFlow("no_tools_key", ""),
  agentFlow("empty_tools", "      tools: []\n"),
  agentFlow("tickets_only", "      tools: [open_ticket]\n"),
  agentFlow(
    "tight_caps",
    "      tools: [open_ticket]\n      max_tool_calls_per_answer: 8\n      max_tool_calls_per_step: 12\n",
  ),
];

// AO-10485 is pending and belongs to liam.oconnor@example.com: a cancel with the right email would work.
const CANCEL_LIAM: FakeToolCall = {
  name: "cancel_any",
  arguments: { order_id: "AO-10485", email: "liam.oconnor@example.com" },
};
const TICKET: FakeToolCall = { name: "open_ticket", arguments: { subject: "Spam", details: "again" } };

describe("agent tools are the agent's own, within caps", () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    const models = createModelGateway({ apiKey: "sk-test", baseURL: server.url });
    h = await createHarness({ kind: "pglite", workflows: FLOWS, seed: true, models });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  const tickets = async () =>
    h.database.db.transaction(
      async (sql) => (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets")).rows[0]!.n,
      { tenantId: h.tenantId },
    );
  const orderStatus = async (id: string) =>
    h.database.db.transaction(
      async (sql) =>
        (await sql.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [id])).rows[0]!
          .status,
      { tenantId: h.tenantId },
    );
  const run = (workflow: string) =>
    h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow(workflow), input: { message: "help" } });
  const agentStep = async (runId: string) =>
    (await h.store.listSteps(h.tenantId, runId)).find((s) => s.nodeName === "helper")!;
  const toolSteps = async (runId: string) =>
    (await h.store.listSteps(h.tenantId, runId)).filter((s) => s.stepId.startsWith("main/helper#1/"));
  const answers = (index: number) =>
    (server.requests[index]?.toolResults ?? []).map(
      (m) => JSON.parse(String(m.content)) as Record<string, unknown>,
    );

  it.each(["no_tools_key", "empty_tools"])(
    "%s: no tool runs whatever the model answers, and each call is answered as refused",
    async (workflow) => {
      const ticketsBefore = await tickets();
      server.script([
        { toolCalls: [TICKET, CANCEL_LIAM, { name: "start" }, { name: "helper" }, { name: "no_such_tool" }] },
        { text: "Sorry, I can't do that." },
      ]);
      const r = await run(workflow);

      expect(r.status).toBe("completed");
      expect(server.requests[0]?.toolNames).toEqual([]);
      expect(await tickets()).toBe(ticketsBefore);
      expect(await orderStatus("AO-10485")).toBe("pending");
      expect(await toolSteps(r.id)).toEqual([]);
      expect(answers(1)).toEqual(
        Array.from({ length: 5 }, () => expect.objectContaining({ refused: true, code: "FD216" })),
      );
      const refusals = (await h.store.listEvents(h.tenantId, r.id)).filter((e) => e.type === "tool.refused");
      expect(refusals.map((e) => [e.data.name, e.data.code])).toEqual([
        ["open_ticket", "FD216"],
        ["cancel_any", "FD216"],
        ["start", "FD216"],
        ["helper", "FD216"],
        ["no_such_tool", "FD216"],
      ]);
      expect((await agentStep(r.id)).output).toMatchObject({
        text: "Sorry, I can't do that.",
        tool_calls: { executed: 0, refused: 5, over_limit: 0 },
      });
    },
  );

  it("does not run a tool node of the flow that the agent does not list", async () => {
    server.script([{ toolCalls: [CANCEL_LIAM, TICKET] }, { text: "Ticket opened." }]);
    const ticketsBefore = await tickets();
    const r = await run("tickets_only");

    expect(server.requests[0]?.toolNames).toEqual(["open_ticket"]);
    expect(await orderStatus("AO-10485")).toBe("pending");
    expect(await tickets()).toBe(ticketsBefore + 1);
    expect((await toolSteps(r.id)).map((s) => s.stepId)).toEqual(["main/helper#1/open_ticket#1"]);
    expect(answers(1)[0]).toMatchObject({ refused: true, code: "FD216" });
    expect(answers(1)[1]).toMatchObject({ created: true });
    expect((await agentStep(r.id)).output).toMatchObject({ tool_calls: { executed: 1, refused: 1 } });
    expect((await agentStep(r.id)).details).toMatchObject({
      toolCalls: ["open_ticket"],
      refusedToolCalls: [{ name: "cancel_any", code: "FD216" }],
    });
  });

  it("runs at most 8 of a thousand tool calls in one answer and tells the model about the rest", async () => {
    server.script([{ toolCalls: Array.from({ length: 1000 }, () => TICKET) }, { text: "Done." }]);
    const ticketsBefore = await tickets();
    const r = await run("tickets_only");

    expect(r.status).toBe("completed");
    expect((await tickets()) - ticketsBefore).toBe(8);
    expect(await toolSteps(r.id)).toHaveLength(8);
    const told = answers(1);
    expect(told).toHaveLength(1000);
    expect(told.filter((a) => a.refused === true)).toHaveLength(992);
    expect(told[8]).toMatchObject({ refused: true, code: "FD217" });
    expect((await agentStep(r.id)).output).toMatchObject({
      tool_calls: { executed: 8, refused: 0, over_limit: 992 },
    });
  });

  it("stops at the step's cap across answers", async () => {
    const flood = { toolCalls: Array.from({ length: 1000 }, () => TICKET) };
    server.script([flood, flood, flood, { text: "Done." }]);
    const ticketsBefore = await tickets();
    const r = await run("tight_caps");

    expect((await tickets()) - ticketsBefore).toBe(12);
    expect((await agentStep(r.id)).output).toMatchObject({
      tool_calls: { executed: 12, over_limit: 3000 - 12 },
    });
  });
});
