import { describe, expect, it } from "vitest";
import type { ModelGateway, ModelRequest, ModelResponse } from "../../src/runtime/context";
import { chooseModelTier } from "../../src/runtime/router/model-tiers";
import { DEFAULT_CONFIDENCE_THRESHOLD, routeMessage } from "../../src/runtime/router/route-message";
import type { RouterConfig } from "../../src/runtime/router/route-message";
import { estimateTokens } from "../../src/runtime/router/token-estimate";
import { SUPPORT_INTENTS } from "./router-fixtures";

/** A ModelGateway that records requests and answers from a script (a value, or a function of the request). */
function fakeGateway(
  answer: Partial<ModelResponse> | ((request: ModelRequest) => Partial<ModelResponse>) | Error,
  options: { offline?: boolean } = {},
) {
  const requests: ModelRequest[] = [];
  const gateway: ModelGateway = {
    provider: options.offline ? "offline" : "openai",
    offline: options.offline ?? false,
    async complete(request) {
      requests.push(request);
      if (answer instanceof Error) throw answer;
      const partial = typeof answer === "function" ? answer(request) : answer;
      return {
        text: "",
        toolCalls: [],
        usage: { promptTokens: 210, completionTokens: 12, costUsd: 0.00004 },
        model: request.model,
        provider: "openai",
        offline: false,
        ...partial,
      };
    },
  };
  return { gateway, requests };
}

const signal = new AbortController().signal;
const base: RouterConfig = { intents: SUPPORT_INTENTS, model: "gpt-4o-mini" };
const CLEAR = "Where is my order? It hasn't shipped yet";
const VAGUE = "Can I pay with PayPal?";

describe("routeMessage", () => {
  it("decides locally when confident and never calls the model", async () => {
    const { gateway, requests } = fakeGateway({ data: { intent: "faq", confidence: 1 } });
    const result = await routeMessage(base, CLEAR, { models: gateway, signal });
    expect(result).toMatchObject({ route: "order", tier: "local", unsure: false, paid: false });
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_CONFIDENCE_THRESHOLD);
    expect(result.tokensSaved).toBeGreaterThan(100);
    expect(result.usage).toBeUndefined();
    expect(requests).toHaveLength(0);
  });

  it("asks the model only when unsure and a model is configured, and records the LLM tier", async () => {
    const { gateway, requests } = fakeGateway({ data: { intent: "faq", confidence: 0.92 } });
    const result = await routeMessage(base, VAGUE, { models: gateway, signal });
    expect(result.localConfidence).toBeLessThan(DEFAULT_CONFIDENCE_THRESHOLD);
    expect(result).toMatchObject({ route: "faq", confidence: 0.92, tier: "llm", unsure: false, paid: true });
    expect(result.tokensSaved).toBe(0);
    expect(result.usage).toEqual({ promptTokens: 210, completionTokens: 12, costUsd: 0.00004 });
    expect(result.llm).toEqual({ model: "gpt-4o-mini", answer: "faq" });
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.model).toBe("gpt-4o-mini");
    expect(request.messages.at(-1)).toEqual({ role: "user", content: VAGUE });
    expect(request.responseSchema?.schema).toMatchObject({
      properties: { intent: { enum: [...SUPPORT_INTENTS.map((i) => i.name), "unsure"] } },
      required: ["intent", "confidence"],
      additionalProperties: false,
    });
  });

  it("without a usable model answers its best intent, marked unsure; the fallback only when asked for", async () => {
    const { gateway, requests } = fakeGateway({ data: { intent: "faq", confidence: 1 } });
    const noModel = await routeMessage({ ...base, model: undefined, fallback_intent: "unsure" }, VAGUE, {
      models: gateway,
      signal,
    });
    expect(noModel).toMatchObject({ route: noModel.scores[0]!.intent, tier: "local", unsure: true });
    expect(noModel.tokensSaved).toBeGreaterThan(0);
    const offline = fakeGateway({ data: { intent: "faq", confidence: 1 } }, { offline: true });
    const offlineResult = await routeMessage({ ...base, fallback_intent: "human" }, VAGUE, {
      models: offline.gateway,
      signal,
    });
    expect(offlineResult).toMatchObject({
      route: offlineResult.scores[0]!.intent,
      tier: "local",
      unsure: true,
    });
    const onPurpose = await routeMessage(
      { ...base, fallback_intent: "human", low_confidence_route: "fallback_intent" },
      VAGUE,
      { models: offline.gateway, signal },
    );
    expect(onPurpose).toMatchObject({ route: "human", tier: "local", unsure: true });
    expect(requests).toHaveLength(0);
    expect(offline.requests).toHaveLength(0);
  });

  it("without a fallback intent keeps the local top intent, marked unsure", async () => {
    const { gateway } = fakeGateway({});
    const result = await routeMessage({ intents: SUPPORT_INTENTS }, VAGUE, { models: gateway, signal });
    expect(result.route).toBe(result.scores[0]!.intent);
    expect(result.unsure).toBe(true);
  });

  it("ignores a garbage answer and a failing model: best intent, or the fallback when asked for", async () => {
    const config = { ...base, fallback_intent: "human", low_confidence_route: "fallback_intent" as const };
    const garbage = fakeGateway({ text: "I think it is about payments", data: undefined });
    const g = await routeMessage(config, VAGUE, { models: garbage.gateway, signal });
    expect(g).toMatchObject({ route: "human", tier: "local", unsure: true, paid: true, tokensSaved: 0 });
    expect(g.llm?.error).toMatch(/JSON object/);
    const unlisted = fakeGateway({ data: { intent: "payments", confidence: 0.9 } });
    const u = await routeMessage(config, VAGUE, { models: unlisted.gateway, signal });
    expect(u).toMatchObject({ route: "human", tier: "local", unsure: true });
    expect(u.llm?.error).toMatch(/not listed/);
    const failing = fakeGateway(new Error("503 from provider"));
    const f = await routeMessage(config, VAGUE, { models: failing.gateway, signal });
    expect(f).toMatchObject({ route: "human", tier: "local", unsure: true, paid: false });
    expect(f.llm).toEqual({ model: "gpt-4o-mini", answer: null, error: "503 from provider" });
    const best = await routeMessage({ ...base, fallback_intent: "human" }, VAGUE, {
      models: failing.gateway,
      signal,
    });
    expect(best).toMatchObject({ route: best.scores[0]!.intent, tier: "local", unsure: true });
  });

  it("reads a JSON text answer and takes the model's unsure as a fallback decided by the LLM tier", async () => {
    const text = fakeGateway({ text: '{"intent":"faq","confidence":0.7}', data: undefined });
    expect(await routeMessage(base, VAGUE, { models: text.gateway, signal })).toMatchObject({
      route: "faq",
      tier: "llm",
    });
    const unsure = fakeGateway({ data: { intent: "unsure", confidence: 0.2 } });
    const result = await routeMessage({ ...base, fallback_intent: "human" }, VAGUE, {
      models: unsure.gateway,
      signal,
    });
    expect(result).toMatchObject({ route: "human", tier: "llm", unsure: true });
  });

  it("lets cancellation through instead of falling back", async () => {
    const controller = new AbortController();
    const aborting = fakeGateway(() => {
      controller.abort();
      throw new Error("aborted");
    });
    await expect(
      routeMessage(base, VAGUE, { models: aborting.gateway, signal: controller.signal }),
    ).rejects.toThrow("aborted");
  });

  it("estimates saved tokens from the prompt it would have sent", async () => {
    const { gateway } = fakeGateway({});
    const small = await routeMessage({ intents: SUPPORT_INTENTS.slice(0, 2) }, CLEAR, {
      models: gateway,
      signal,
    });
    const large = await routeMessage({ intents: SUPPORT_INTENTS }, CLEAR, { models: gateway, signal });
    expect(large.tokensSaved).toBeGreaterThan(small.tokensSaved);
    const longMessage = `${CLEAR} ${"please ".repeat(40)}`;
    const longer = await routeMessage({ intents: SUPPORT_INTENTS }, longMessage, { models: gateway, signal });
    expect(longer.tokensSaved - large.tokensSaved).toBe(estimateTokens(longMessage) - estimateTokens(CLEAR));
  });

  it("is deterministic", async () => {
    const { gateway } = fakeGateway({});
    const a = await routeMessage(base, CLEAR, { models: gateway, signal });
    const b = await routeMessage(structuredClone(base), CLEAR, { models: gateway, signal });
    expect(b).toEqual(a);
  });
});

describe("model tiers", () => {
  const tiers = [
    { model: "gpt-4o", tier: "large" as const, cost_per_1k_tokens_usd: 0.0025 },
    { model: "gpt-4o-mini", tier: "small" as const, max_message_chars: 200, cost_per_1k_tokens_usd: 0.00015 },
    {
      model: "gpt-4.1-mini",
      tier: "medium" as const,
      max_message_chars: 1000,
      cost_per_1k_tokens_usd: 0.0004,
    },
  ];

  it("picks the cheapest tier whose limit the message fits, escalating with length", () => {
    expect(chooseModelTier(tiers, "short question")).toMatchObject({ model: "gpt-4o-mini", reason: "fits" });
    expect(chooseModelTier(tiers, "x".repeat(500))).toMatchObject({ model: "gpt-4.1-mini", tier: "medium" });
    expect(chooseModelTier(tiers, "x".repeat(5000))).toMatchObject({ model: "gpt-4o", tier: "large" });
    expect(chooseModelTier([], "hi")).toBeUndefined();
  });

  it("escalates to the widest tier when no limit is high enough, and prefers priced tiers", () => {
    const bounded = tiers.slice(1);
    expect(chooseModelTier(bounded, "x".repeat(5000))).toMatchObject({
      model: "gpt-4.1-mini",
      reason: "escalated",
    });
    const unpriced = [{ model: "mystery", tier: "small" as const }, ...tiers];
    expect(chooseModelTier(unpriced, "hi")?.model).toBe("gpt-4o-mini");
  });

  it("returns the chosen model from routeMessage, for local and LLM decisions alike", async () => {
    const { gateway } = fakeGateway({ data: { intent: "faq", confidence: 0.9 } });
    const local = await routeMessage({ ...base, model_tiers: tiers }, CLEAR, { models: gateway, signal });
    expect(local).toMatchObject({ tier: "local", model: "gpt-4o-mini" });
    const long = `${VAGUE} ${"I have been looking at your site for a while and wonder about it. ".repeat(10)}`;
    const llm = await routeMessage({ ...base, model_tiers: tiers }, long, { models: gateway, signal });
    expect(llm).toMatchObject({ model: "gpt-4.1-mini", modelTier: { tier: "medium", reason: "fits" } });
  });
});
