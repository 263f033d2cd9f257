import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModelGateway } from "../../src/models/model-gateway";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";

// Issue 16 item 4: an agent uses the tier the router chose, through `model: auto` or a template over the
// router's output. The fake server records the model each request asked for.
const router = `
  - name: route
    type: router
    config:
      intents:
        - { name: order, examples: ["where is my order", "track my parcel", "my package has not arrived"] }
        - { name: refund, examples: ["I want my money back", "refund please", "return this item"] }
      model_tiers:
        - { model: gpt-4.1-nano, tier: small, max_message_chars: 80, cost_per_1k_tokens_usd: 0.0001 }
        - { model: gpt-4o, tier: large, cost_per_1k_tokens_usd: 0.0025 }`;

const flow = (name: string, model: string, withRouter = true) => `name: ${name}
nodes:
  - { name: start, type: start }${withRouter ? router : ""}
  - name: answer
    type: agent
    config: { model: "${model}", prompt_template: "{{ input.message }}", stream: false }
  - { name: done, type: end }
edges:
${withRouter ? "  - { from: start, to: route }\n  - { from: route, to: answer }" : "  - { from: start, to: answer }"}
  - { from: answer, to: done }
`;

describe("agent model chosen by the router", () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    const models = createModelGateway({ apiKey: "sk-test", baseURL: server.url });
    h = await createHarness({
      kind: "pglite",
      workflows: [
        flow("auto_model", "auto"),
        flow("template_model", "{{ nodes.route.output.model }}"),
        flow("auto_without_router", "auto", false),
      ],
      models,
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  const run = async (workflow: string, message: string) => {
    server.reset();
    server.script([{ text: "Sure." }]);
    const started = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow(workflow),
      input: { message },
    });
    expect(started.status).toBe("completed");
    const steps = await h.store.listSteps(h.tenantId, started.id);
    return {
      requested: server.requests.map((r) => r.model),
      route: steps.find((s) => s.nodeName === "route")?.output as { model?: string },
      answer: steps.find((s) => s.nodeName === "answer")?.output as { model_source?: string },
    };
  };

  it("model: auto calls the small tier for a short message and the large one for a long message", async () => {
    const short = await run("auto_model", "where is my order");
    expect(short.route.model).toBe("gpt-4.1-nano");
    expect(short.requested).toEqual(["gpt-4.1-nano"]);
    expect(short.answer.model_source).toBe("router");

    const long = await run(
      "auto_model",
      `where is my order? ${"It was supposed to arrive last week. ".repeat(4)}`,
    );
    expect(long.route.model).toBe("gpt-4o");
    expect(long.requested).toEqual(["gpt-4o"]);
  });

  it("a template over the router's output.model is rendered at run time", async () => {
    const short = await run("template_model", "refund please");
    expect(short.requested).toEqual(["gpt-4.1-nano"]);
    expect(short.answer.model_source).toBe("config");
  });

  it("model: auto without a router falls back to the agent's default model", async () => {
    const result = await run("auto_without_router", "hello");
    expect(result.requested).toEqual(["gpt-4o-mini"]);
    expect(result.answer.model_source).toBe("default");
  });
});
