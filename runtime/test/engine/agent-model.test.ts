import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModelGateway } from "../../src/models/model-gateway";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";

// The agent node against an OpenAI-compatible server through the real `openai` client: tool calls that run
// the flow's tool nodes as steps, structured output, streamed tokens as run events, usage and cost per step.
const FLOW = `name: agent_tools
nodes:
  - { name: start, type: start }
  - name: helper
    type: agent
    config:
      model: gpt-4o-mini
      system_prompt: "You help customers of {{ tenant.name }}."
      prompt_template: "{{ input.message }}"
      tools: [find_order]
  - name: find_order
    type: tool.order_lookup
    description: Looks up an order by its number
    config: { order_id: "{{ input.order_id }}", customer_email: "{{ input.customer_email }}" }
  - { name: done, type: end }
edges:
  - { from: start, to: helper }
  - { from: helper, to: done }
`;

const STRUCTURED = `name: agent_structured
nodes:
  - { name: start, type: start }
  - name: extract
    type: agent
    config:
      prompt_template: "Extract the order number from: {{ input.message }}"
      stream: false
      send_reply: false
      output_schema:
        type: object
        properties: { order_id: { type: string } }
        required: [order_id]
        additionalProperties: false
  - { name: done, type: end, config: { reply: "Order {{ nodes.extract.output.data.order_id }}" } }
edges:
  - { from: start, to: extract }
  - { from: extract, to: done }
`;

describe("agent node on an OpenAI-compatible server", () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    const models = createModelGateway({ apiKey: "sk-test", baseURL: server.url });
    h = await createHarness({ kind: "pglite", workflows: [FLOW, STRUCTURED], seed: true, models });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  it("calls a tool node as its own step and answers with its result", async () => {
    server.script([
      {
        toolCalls: [
          {
            name: "find_order",
            arguments: { order_id: "AO-10492", customer_email: "daniel.okafor@example.com" },
          },
        ],
      },
      { text: "Your order AO-10492 has shipped." },
    ]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_tools"),
      input: { message: "Where is AO-10492?" },
    });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Your order AO-10492 has shipped."]);
    const steps = await h.store.listSteps(h.tenantId, run.id);
    const tool = steps.find((s) => s.stepId === "main/helper#1/find_order#1");
    expect(tool).toMatchObject({
      nodeType: "tool.order_lookup",
      output: { found: true, order: { id: "AO-10492", status: "shipped" } },
    });
    expect(server.requests[0]?.toolNames).toEqual(["find_order"]);
    expect(server.requests[0]?.messages[0]).toMatchObject({
      role: "system",
      content: "You help customers of Acme Outfitters.",
    });
    const toolResult = server.requests[1]?.toolResults[0] as { content: string } | undefined;
    expect(JSON.parse(toolResult?.content ?? "null")).toMatchObject({
      found: true,
      order: { status: "shipped" },
    });
    const agent = steps.find((s) => s.nodeName === "helper");
    expect(agent?.usage?.promptTokens).toBeGreaterThan(0);
    expect(agent?.usage?.costUsd).toBeGreaterThan(0);
    expect(agent?.details).toMatchObject({ provider: "openai", offline: false, toolCalls: ["find_order"] });
  });

  it("shows a guest an order only for its number and its email, and a miss reveals nothing", async () => {
    const lookup = (args: Record<string, string>) => ({ name: "find_order", arguments: args });
    server.script([
      {
        toolCalls: [
          lookup({ order_id: "AO-10492" }),
          lookup({ order_id: "AO-10492", customer_email: "maya.lindqvist@example.com" }),
          lookup({ order_id: "AO-99999", customer_email: "daniel.okafor@example.com" }),
          lookup({ order_id: "AO-10492", customer_email: "Daniel.Okafor@example.com" }),
        ],
      },
      { text: "Found it." },
    ]);
    await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_tools"),
      input: { message: "Where is AO-10492?" },
    });
    const results = (server.requests[1]?.toolResults ?? []).map((m) => String(m.content));
    // No email, another customer's email, an unknown number: the same answer, so a guess learns nothing.
    expect(results.slice(0, 3)).toEqual(Array(3).fill('{"found":false,"order":null}'));
    expect(JSON.parse(results[3]!)).toMatchObject({
      found: true,
      order: { id: "AO-10492", status: "shipped" },
    });
    // Even for the right email, the customer's email and address are not in what the model reads.
    expect(results[3]).not.toMatch(/customer_email|shipping_address|okafor/i);
  });

  it("streams the answer as token events before the message is committed", async () => {
    server.script([{ text: "Hello there, happy to help." }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_tools"),
      input: { message: "hi" },
    });
    const tokens = h.events
      .filter((e) => e.runId === run.id && e.event.type === "token")
      .map((e) => String(e.event.data.text));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe("Hello there, happy to help.");
    const order = h.events.filter((e) => e.runId === run.id).map((e) => e.event.type);
    expect(order.indexOf("token")).toBeLessThan(order.indexOf("message.sent"));
    // Tokens are live only: the event log keeps the message, not every fragment.
    expect((await h.store.listEvents(h.tenantId, run.id)).some((e) => e.type === "token")).toBe(false);
  });

  it("returns structured output as data", async () => {
    server.script([{ json: { order_id: "AO-10485" } }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_structured"),
      input: { message: "it's order ao 10485" },
    });
    expect(await h.messages(run.id)).toEqual(["Order AO-10485"]);
    expect(server.requests[0]?.body).toMatchObject({ response_format: { type: "json_schema" } });
  });

  it("retries a 429 that says when, then answers", async () => {
    server.script([{ status: 429, retryAfterMs: 10 }, { text: "Back again." }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_tools"),
      input: { message: "hi" },
    });
    expect(await h.messages(run.id)).toEqual(["Back again."]);
    expect(server.requests).toHaveLength(2);
  });
});
