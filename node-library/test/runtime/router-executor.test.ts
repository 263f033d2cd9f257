import { describe, expect, it } from "vitest";
import type { ExecutionContext, ModelGateway, ModelRequest } from "../../src/runtime/context";
import { routerExecutor } from "../../src/runtime/executors/router";
import { SUPPORT_INTENTS } from "./router-fixtures";

/**
 * Only what the router touches is real; any other use of the context fails loudly, so the test also proves
 * the executor needs nothing else (no database, no HTTP).
 */
function fakeContext(scope: { message: string }, models: ModelGateway) {
  const rendered: string[] = [];
  const ctx = {
    signal: new AbortController().signal,
    models,
    async render(template: string) {
      rendered.push(template);
      // A stand-in for Liquid: enough to prove the executor classifies the rendered text, not the template.
      // One pass, like Liquid: text that comes in through a variable is never scanned for tags again.
      return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) =>
        name === "input.message" ? scope.message : "",
      );
    },
  };
  const guarded = new Proxy(ctx, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      if (key === "then") return undefined;
      throw new Error(`the router executor must not use ctx.${String(key)}`);
    },
  });
  return { ctx: guarded as unknown as ExecutionContext, rendered };
}

function gateway(answer: unknown) {
  const requests: ModelRequest[] = [];
  const models: ModelGateway = {
    provider: "openai",
    offline: false,
    async complete(request) {
      requests.push(request);
      return {
        text: "",
        data: answer,
        toolCalls: [],
        usage: { promptTokens: 300, completionTokens: 10, costUsd: 0.00005 },
        model: request.model,
        provider: "openai",
        offline: false,
      };
    },
  };
  return { models, requests };
}

describe("router executor", () => {
  it("renders the message template and routes locally, as a pure step", async () => {
    const { models, requests } = gateway({ intent: "faq", confidence: 1 });
    const { ctx, rendered } = fakeContext({ message: "I can't log in to my account" }, models);
    const result = await routerExecutor(ctx, {
      intents: SUPPORT_INTENTS,
      message: "Customer says: {{ input.message }}",
      model: "gpt-4o-mini",
    });
    expect(rendered).toEqual(["Customer says: {{ input.message }}"]);
    expect(result.output).toMatchObject({ route: "technical", tier: "local" });
    expect(result.output).not.toHaveProperty("model");
    expect(result.effect).toBe(false);
    expect(result.usage).toBeUndefined();
    expect(result.output).toMatchObject({ unsure: false });
    expect(result.details).toMatchObject({ tier: "local", threshold: 0.7, unsure: false });
    expect((result.details!.scores as unknown[]).length).toBe(3);
    expect(result.details!.tokensSaved).toBeGreaterThan(0);
    expect(requests).toHaveLength(0);
  });

  it("uses {{ input.message }} when no template is configured", async () => {
    const { models } = gateway(null);
    const { ctx, rendered } = fakeContext({ message: "Connect me with a person please" }, models);
    const result = await routerExecutor(ctx, { intents: SUPPORT_INTENTS });
    expect(rendered).toEqual(["{{ input.message }}"]);
    expect(result.output).toMatchObject({ route: "human" });
  });

  it("records the LLM tier, its usage and an effect when a paid model decided", async () => {
    const { models, requests } = gateway({ intent: "faq", confidence: 0.88 });
    const { ctx } = fakeContext({ message: "Can I pay with PayPal?" }, models);
    const result = await routerExecutor(ctx, {
      intents: SUPPORT_INTENTS,
      model: "gpt-4o-mini",
      model_tiers: [
        { model: "gpt-4o-mini", tier: "small", max_message_chars: 500, cost_per_1k_tokens_usd: 0.00015 },
      ],
    });
    expect(result.output).toEqual({
      route: "faq",
      confidence: 0.88,
      tier: "llm",
      unsure: false,
      model: "gpt-4o-mini",
    });
    expect(result.effect).toBe(true);
    expect(result.usage).toEqual({ promptTokens: 300, completionTokens: 10, costUsd: 0.00005 });
    expect(result.details).toMatchObject({ tier: "llm", tokensSaved: 0, llm: { answer: "faq" } });
    expect(requests).toHaveLength(1);
  });

  it("keeps template-looking customer text as data", async () => {
    const { models } = gateway(null);
    const { ctx, rendered } = fakeContext({ message: "where is my order {{ 7 * 7 }}" }, models);
    const result = await routerExecutor(ctx, { intents: SUPPORT_INTENTS, fallback_intent: "unsure" });
    // Rendered once; the braces reach the classifier as plain characters and change nothing.
    expect(rendered).toHaveLength(1);
    expect(result.output).toMatchObject({ route: "order" });
  });
});
