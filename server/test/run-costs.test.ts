import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../../runtime/test/support/fake-openai-server";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Issue 16 item 4: what a run cost and what local routing saved, in USD at the configured prices, in the trace
// (per step and per run), the run list and analytics. The router decides locally (it names no model), and the
// agent uses the tier it chose on an OpenAI-compatible fake server that reports token usage.
const FLOW = `name: priced_desk
nodes:
  - { name: start, type: start }
  - name: route
    type: router
    config:
      intents:
        - { name: order, examples: ["where is my order", "track my parcel", "my package has not arrived"] }
        - { name: refund, examples: ["I want my money back", "refund please", "return this item"] }
      model_tiers:
        - { model: gpt-4.1-nano, tier: small, max_message_chars: 200 }
        - { model: gpt-4o, tier: large }
  - name: answer
    type: agent
    config: { model: auto, prompt_template: "{{ input.message }}", stream: false }
  - { name: done, type: end }
edges:
  - { from: start, to: route }
  - { from: route, to: answer }
  - { from: answer, to: done }
`;
/** gpt-4o-mini's list input price: the router names no model, so savings are priced at the default model. */
const BASELINE_INPUT_USD_PER_TOKEN = 0.15 / 1_000_000;

describe("cost and routing savings in money", () => {
  let fake: FakeOpenAiServer;
  let server: TestServer;
  let owner: JsonBody;
  let runId: string;
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    fake.onRequest(() => ({ text: "It is on its way." }));
    // The server's engine builds its model gateway from the environment, as `flowdeck serve` does.
    process.env.OPENAI_API_KEY = "sk-test";
    process.env.OPENAI_BASE_URL = fake.url;
    server = await startTestServer("pglite");
    owner = (await registerAccount(server)).body;
    const created = await call("POST", "/workflows", { yaml: FLOW });
    await call("POST", `/workflows/${created.body.id}/publish`, { note: "v1" });
    const started = await call("POST", "/runs", {
      workflow: "priced_desk",
      input: { message: "where is my order" },
    });
    runId = started.body.id;
    const done = await server.runs.settled(owner.tenant.id, runId, 10_000);
    if (done.status !== "completed") throw new Error(`the priced run ended ${done.status}`);
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    for (const [name, value] of [
      ["OPENAI_API_KEY", saved.key],
      ["OPENAI_BASE_URL", saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  function call(method: string, path: string, body?: unknown) {
    return server.request(method, path, {
      token: owner.accessToken,
      ...(body === undefined ? {} : { body }),
    });
  }

  it("the trace prices each step and the run", async () => {
    const detail = (await call("GET", `/runs/${runId}`)).body;
    const step = (name: string) => detail.steps.find((s: { nodeName: string }) => s.nodeName === name);
    expect(fake.requests.map((r) => r.model)).toEqual(["gpt-4.1-nano"]);
    const agent = step("answer");
    expect(agent.costUsd).toBeGreaterThan(0);
    expect(agent.costUsd).toBe(agent.usage.costUsd);
    const router = step("route");
    expect(router.details.tokensSaved).toBeGreaterThan(0);
    expect(router.savedUsd).toBeCloseTo(router.details.tokensSaved * BASELINE_INPUT_USD_PER_TOKEN, 12);
    expect(router.details).toMatchObject({ savedModel: "gpt-4o-mini" });
    expect(detail.costUsd).toBeCloseTo(agent.costUsd, 6);
    expect(detail.savedUsd).toBeCloseTo(router.savedUsd, 6);
    expect(detail.savedUsd).toBeGreaterThan(0);
  });

  it("the run list shows the same money per run", async () => {
    const detail = (await call("GET", `/runs/${runId}`)).body;
    const listed = (await call("GET", "/runs?workflow=priced_desk&mode=live")).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: runId,
      mode: "live",
      costUsd: detail.costUsd,
      savedUsd: detail.savedUsd,
    });
    expect((await call("GET", "/runs?mode=nope")).body.error).toMatchObject({ code: "FD355" });
  });

  it("analytics add it up for live runs only", async () => {
    const detail = (await call("GET", `/runs/${runId}`)).body;
    const before = (await call("GET", "/analytics/usage?days=1")).body.totals;
    expect(before).toMatchObject({ costUsd: detail.costUsd, savedUsd: detail.savedUsd, modelSteps: 1 });
    const replay = await call("POST", `/runs/${runId}/replay`, {});
    expect(replay.body.run).toMatchObject({ status: "completed", mode: "replay" });
    expect(replay.body.comparison.original).toMatchObject({
      costUsd: detail.costUsd,
      savedUsd: detail.savedUsd,
    });
    expect(replay.body.comparison.replay.savedUsd).toBe(detail.savedUsd);
    const replayed = (await call("GET", "/runs?mode=replay")).body.items;
    expect(replayed[0].savedUsd).toBeGreaterThan(0);
    expect((await call("GET", "/analytics/usage?days=1")).body.totals).toEqual(before);
  });
});
