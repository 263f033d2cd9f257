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

describe("fake OpenAI server", () => {
  it("serves a scripted queue first, then the responder, and reports what is left", async () => {
    server.script([{ text: "scripted" }]);
    server.onRequest((request) =>
      request.lastUserMessage.includes("refund") ? { text: "refund answer" } : undefined,
    );
    const { provider } = testProvider(server.url);
    expect(server.pending()).toBe(1);
    expect((await provider.complete(ask("refund please"), { signal: noSignal() })).text).toBe("scripted");
    expect(server.pending()).toBe(0);
    expect((await provider.complete(ask("refund please"), { signal: noSignal() })).text).toBe(
      "refund answer",
    );
    expect(server.requests.map((request) => request.lastUserMessage)).toEqual([
      "refund please",
      "refund please",
    ]);
  });

  it("answers an unscripted request with a 400 that names it", async () => {
    const { provider } = testProvider(server.url);
    const error = await modelErrorOf(provider.complete(ask("something unexpected"), { signal: noSignal() }));
    expect(error.code).toBe("FD225");
    expect(error.message).toContain("no scripted reply for request #0");
    expect(error.message).toContain("something unexpected");
    expect(server.requests).toHaveLength(1);
  });

  it("drives a whole tool-calling conversation", async () => {
    server.script([
      { toolCalls: [{ name: "order_lookup", arguments: { orderId: "A-7" } }] },
      { text: "Order A-7 is on its way." },
    ]);
    const { provider } = testProvider(server.url);
    const first = await provider.complete(ask("Where is A-7?"), {
      signal: noSignal(),
      onToken: () => undefined,
    });
    const call = first.toolCalls[0]!;
    const second = await provider.complete(
      {
        model: "gpt-4o-mini",
        messages: [
          { role: "user", content: "Where is A-7?" },
          { role: "assistant", content: first.text, toolCalls: first.toolCalls },
          { role: "tool", content: '{"status":"shipped"}', toolCallId: call.id },
        ],
      },
      { signal: noSignal() },
    );
    expect(second.text).toBe("Order A-7 is on its way.");
    expect(server.requests[1]!.toolResults).toEqual([
      { role: "tool", tool_call_id: call.id, content: '{"status":"shipped"}' },
    ]);
  });
});
