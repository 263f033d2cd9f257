import { describe, expect, it } from "vitest";
import { createOfflineProvider } from "../../src/models/offline-provider";
import { ask, modelErrorOf, noSignal } from "./model-test-helpers";

describe("offline provider", () => {
  const provider = createOfflineProvider();

  it("is labelled as offline", async () => {
    expect(provider).toMatchObject({ provider: "offline", offline: true });
    const response = await provider.complete(ask("hello"), { signal: noSignal() });
    expect(response).toMatchObject({ provider: "offline", model: "offline", offline: true, toolCalls: [] });
  });

  it("answers the node's offline text when given", async () => {
    const response = await provider.complete(
      ask("refund?", { offlineText: "We'll email you about your refund." }),
      {
        signal: noSignal(),
      },
    );
    expect(response.text).toBe("We'll email you about your refund.");
  });

  it("otherwise answers a fixed, labelled sentence about the last user message, the same every time", async () => {
    const request = {
      model: "gpt-4o",
      messages: [
        { role: "system" as const, content: "be nice" },
        { role: "user" as const, content: "first" },
        { role: "assistant" as const, content: "ok" },
        { role: "user" as const, content: "  Where   is my\norder? " },
      ],
    };
    const first = await provider.complete(request, { signal: noSignal() });
    const second = await provider.complete(request, { signal: noSignal() });
    expect(first).toEqual(second);
    expect(first.text).toBe(
      '[offline] No AI model is configured, so this is a placeholder answer to: "Where is my order?"',
    );
    const empty = await provider.complete({ model: "x", messages: [] }, { signal: noSignal() });
    expect(empty.text).toMatch(/^\[offline\] /);
  });

  it("returns data: null for structured output and never calls tools", async () => {
    const response = await provider.complete(
      ask("classify", {
        responseSchema: { name: "intent", schema: { type: "object" } },
        tools: [{ name: "order_lookup", description: "find", parameters: { type: "object" } }],
      }),
      { signal: noSignal() },
    );
    expect(response.data).toBeNull();
    expect(response.toolCalls).toEqual([]);
    const plain = await provider.complete(ask("hi"), { signal: noSignal() });
    expect(plain).not.toHaveProperty("data");
  });

  it("estimates tokens and costs nothing", async () => {
    const response = await provider.complete(ask("x".repeat(40), { offlineText: "y".repeat(20) }), {
      signal: noSignal(),
    });
    expect(response.usage).toEqual({ promptTokens: 14, completionTokens: 5, costUsd: 0 });
  });

  it("streams its text word by word", async () => {
    const tokens: string[] = [];
    const response = await provider.complete(ask("hi", { offlineText: "Thanks, we got  your message." }), {
      signal: noSignal(),
      onToken: (text) => tokens.push(text),
    });
    expect(tokens).toEqual(["Thanks, ", "we ", "got  ", "your ", "message."]);
    expect(tokens.join("")).toBe(response.text);
  });

  it("honours an aborted signal", async () => {
    const error = await modelErrorOf(provider.complete(ask("hi"), { signal: AbortSignal.abort() }));
    expect(error.code).toBe("FD227");
  });
});
