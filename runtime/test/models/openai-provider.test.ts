import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { ask, modelErrorOf, noSignal, testProvider } from "./model-test-helpers";

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

describe("openai provider: answers", () => {
  it("answers a non-streamed completion with usage and cost", async () => {
    server.script([
      { text: "Your order ships tomorrow.", usage: { promptTokens: 1000, completionTokens: 500 } },
    ]);
    const { provider } = testProvider(server.url);
    const response = await provider.complete(ask("Where is my order?", { model: "gpt-4o" }), {
      signal: noSignal(),
    });
    expect(response).toEqual({
      text: "Your order ships tomorrow.",
      toolCalls: [],
      usage: { promptTokens: 1000, completionTokens: 500, costUsd: (1000 * 2.5 + 500 * 10) / 1_000_000 },
      model: "gpt-4o",
      provider: "openai",
      offline: false,
    });
    expect(provider).toMatchObject({ provider: "openai", offline: false });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.stream).toBe(false);
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-test-flowdeck-secret-0123456789");
  });

  it("streams tokens in order and the text is their concatenation", async () => {
    server.script([
      {
        text: "Thanks for waiting, your refund is on its way.",
        usage: { promptTokens: 40, completionTokens: 12 },
      },
    ]);
    const { provider } = testProvider(server.url);
    const tokens: string[] = [];
    const response = await provider.complete(ask("refund?"), {
      signal: noSignal(),
      onToken: (text) => tokens.push(text),
    });
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens[0]).toBe("Thanks ");
    expect(tokens.join("")).toBe(response.text);
    expect(response.text).toBe("Thanks for waiting, your refund is on its way.");
    // Usage comes from the final usage chunk, which only include_usage asks for.
    expect(response.usage).toEqual({
      promptTokens: 40,
      completionTokens: 12,
      costUsd: (40 * 0.15 + 12 * 0.6) / 1e6,
    });
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("parses tool calls, non-streamed and streamed as deltas", async () => {
    const toolCalls = [
      {
        id: "call_a",
        name: "order_lookup",
        arguments: { orderId: "A-1001", note: 'needs "quotes" and ünïcode' },
      },
      { id: "call_b", name: "kb_search", arguments: {} },
    ];
    server.script([{ toolCalls }, { toolCalls }]);
    const { provider } = testProvider(server.url);
    const tools = [
      {
        name: "order_lookup",
        description: "Find an order",
        parameters: { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] },
      },
    ];
    const plain = await provider.complete(ask("where is A-1001?", { tools }), { signal: noSignal() });
    const tokens: string[] = [];
    const streamed = await provider.complete(ask("where is A-1001?", { tools }), {
      signal: noSignal(),
      onToken: (text) => tokens.push(text),
    });
    for (const response of [plain, streamed]) {
      expect(response.toolCalls).toEqual(toolCalls);
      expect(response.text).toBe("");
    }
    expect(tokens).toEqual([]);
    expect(server.requests[0]!.body.tools).toEqual([
      {
        type: "function",
        function: { name: "order_lookup", description: "Find an order", parameters: tools[0]!.parameters },
      },
    ]);
    expect(server.requests[1]!.toolNames).toEqual(["order_lookup"]);
  });

  it("sends the tool round trip back in OpenAI's shape", async () => {
    server.script([{ text: "It shipped." }]);
    const { provider } = testProvider(server.url);
    await provider.complete(
      {
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Where is A-1?" },
          {
            role: "assistant",
            content: "",
            toolCalls: [{ id: "call_1", name: "order_lookup", arguments: { orderId: "A-1" } }],
          },
          { role: "tool", content: '{"status":"shipped"}', toolCallId: "call_1" },
        ],
      },
      { signal: noSignal() },
    );
    expect(server.requests[0]!.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Where is A-1?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "order_lookup", arguments: '{"orderId":"A-1"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"status":"shipped"}' },
    ]);
    expect(server.requests[0]!.toolResults).toHaveLength(1);
  });

  it("reports malformed tool-call arguments as FD222, not a crash", async () => {
    server.script([
      { toolCalls: [{ name: "order_lookup", arguments: '{"orderId": "A-1"' }] },
      { toolCalls: [{ name: "order_lookup", arguments: "[1,2]" }] },
      { toolCalls: [{ name: "order_lookup", arguments: "" }] },
    ]);
    const { provider } = testProvider(server.url);
    const truncated = await modelErrorOf(provider.complete(ask("x"), { signal: noSignal() }));
    expect(truncated.code).toBe("FD222");
    expect(truncated.message).toContain('tool "order_lookup"');
    expect(truncated.message).toContain("not valid JSON");
    expect(truncated.hint).toMatch(/malformed JSON/);
    const array = await modelErrorOf(
      provider.complete(ask("x"), { signal: noSignal(), onToken: () => undefined }),
    );
    expect(array.code).toBe("FD222");
    expect(array.message).toContain("not a JSON object");
    // An empty arguments string means "no arguments".
    const empty = await provider.complete(ask("x"), { signal: noSignal() });
    expect(empty.toolCalls[0]!.arguments).toEqual({});
    // A model's mistake is not retried at this level.
    expect(server.requests).toHaveLength(3);
  });

  it("returns structured output as data, strict when the schema allows it", async () => {
    const answer = { intent: "refund", confidence: 0.92 };
    server.script([{ json: answer }, { json: answer }]);
    const { provider } = testProvider(server.url);
    const strictSchema = {
      type: "object",
      properties: { intent: { type: "string" }, confidence: { type: "number" } },
      required: ["intent", "confidence"],
      additionalProperties: false,
    };
    const response = await provider.complete(
      ask("classify", { responseSchema: { name: "intent", schema: strictSchema } }),
      {
        signal: noSignal(),
      },
    );
    expect(response.data).toEqual(answer);
    expect(response.text).toBe(JSON.stringify(answer));
    expect(server.requests[0]!.body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "intent", schema: strictSchema, strict: true },
    });
    const looseSchema = { type: "object", properties: { intent: { type: "string" } } };
    const tokens: string[] = [];
    const streamed = await provider.complete(
      ask("classify", { responseSchema: { name: "intent", schema: looseSchema } }),
      {
        signal: noSignal(),
        onToken: (text) => tokens.push(text),
      },
    );
    expect(streamed.data).toEqual(answer);
    expect(tokens.join("")).toBe(JSON.stringify(answer));
    expect(server.requests[1]!.body.response_format).toMatchObject({ json_schema: { strict: false } });
  });

  it("reports structured output that is not JSON as FD222", async () => {
    server.script([{ text: "Sure! Here is the JSON: {", finishReason: "length" }]);
    const { provider } = testProvider(server.url);
    const error = await modelErrorOf(
      provider.complete(ask("classify", { responseSchema: { name: "x", schema: { type: "object" } } }), {
        signal: noSignal(),
      }),
    );
    expect(error.code).toBe("FD222");
    expect(error.message).toContain("cut off at max_tokens");
  });

  it("prices dated snapshots like their alias and unknown models at 0 with one warning", async () => {
    server.script([
      { text: "a", model: "gpt-4o-2024-08-06", usage: { promptTokens: 100, completionTokens: 10 } },
      { text: "b", usage: { promptTokens: 100, completionTokens: 10 } },
      { text: "c", usage: { promptTokens: 100, completionTokens: 10 } },
    ]);
    const { provider, log } = testProvider(server.url);
    const snapshot = await provider.complete(ask("x", { model: "gpt-4o" }), { signal: noSignal() });
    expect(snapshot.model).toBe("gpt-4o-2024-08-06");
    expect(snapshot.usage.costUsd).toBeCloseTo((100 * 2.5 + 10 * 10) / 1e6, 12);
    const unknownModel = "acme-llm-provider-test";
    const first = await provider.complete(ask("x", { model: unknownModel }), { signal: noSignal() });
    const second = await provider.complete(ask("x", { model: unknownModel }), { signal: noSignal() });
    expect(first.usage).toEqual({ promptTokens: 100, completionTokens: 10, costUsd: 0 });
    expect(second.usage.costUsd).toBe(0);
    const warnings = log.entries.filter(
      (entry) => entry.level === "warn" && entry.message.includes(unknownModel),
    );
    expect(warnings).toHaveLength(1);
  });

  it("uses a custom price table over the defaults", async () => {
    server.script([{ text: "a", usage: { promptTokens: 1_000_000, completionTokens: 1_000_000 } }]);
    const { provider } = testProvider(server.url, {
      prices: { "house-model": { inputUsdPerMillion: 1, outputUsdPerMillion: 2 } },
    });
    const response = await provider.complete(ask("x", { model: "house-model" }), { signal: noSignal() });
    expect(response.usage.costUsd).toBe(3);
  });

  it("sends max_completion_tokens and no temperature to reasoning models", async () => {
    server.script([{ text: "a" }, { text: "b" }]);
    const { provider } = testProvider(server.url);
    await provider.complete(ask("x", { model: "o4-mini", temperature: 0.3, maxTokens: 100 }), {
      signal: noSignal(),
    });
    await provider.complete(ask("x", { model: "gpt-4.1-mini", temperature: 0.3, maxTokens: 100 }), {
      signal: noSignal(),
    });
    const [reasoning, chat] = server.requests.map((request) => request.body);
    expect(reasoning).toMatchObject({ max_completion_tokens: 100 });
    expect(reasoning).not.toHaveProperty("temperature");
    expect(reasoning).not.toHaveProperty("max_tokens");
    expect(chat).toMatchObject({ max_tokens: 100, temperature: 0.3 });
  });

  it("refuses a tool message without toolCallId before sending anything", async () => {
    const { provider } = testProvider(server.url);
    const error = await modelErrorOf(
      provider.complete(
        { model: "gpt-4o", messages: [{ role: "tool", content: "{}" }] },
        { signal: noSignal() },
      ),
    );
    expect(error.code).toBe("FD225");
    expect(server.requests).toHaveLength(0);
  });
});
