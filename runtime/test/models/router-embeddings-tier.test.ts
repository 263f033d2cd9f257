import { routeMessage, type RouterConfig } from "@flowdeck/node-library/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "../../src/models/offline-provider";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { noSignal, testProvider } from "./model-test-helpers";

// The router's embeddings tier against the fake OpenAI server's /v1/embeddings, through the real `openai`
// client: examples embedded once per tenant, one call per unsure message, the LLM only when it is unsure too.

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

// Meaning the fake understands: one axis per concept, with the words (and brands) that belong to it.
const CONCEPTS: readonly (readonly string[])[] = [
  ["pay", "payment", "card", "charged", "paypal", "klarna", "declined", "methods"],
  ["parcel", "shipping", "ship", "delivery", "abroad", "courier", "arrive"],
  ["person", "agent", "human", "someone", "talk"],
];
function conceptEmbedding(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return CONCEPTS.map((concept) => words.filter((w) => concept.includes(w)).length + 0.01);
}

const config: RouterConfig = {
  intents: [
    {
      name: "payment",
      examples: ["Which payment methods do you accept?", "My card was declined", "I was charged twice"],
    },
    {
      name: "delivery",
      description: "Where a parcel is and how shipping works",
      examples: ["Where is my parcel?", "How long does shipping take?", "Do you ship abroad?"],
    },
    { name: "human", examples: ["Let me talk to a person", "I want a real agent"] },
  ],
  embedding_model: "text-embedding-3-small",
};
// Shares no word with any payment example: the local tier cannot be sure.
const UNSURE = "Is Klarna an option?";

beforeEach(() => {
  server.reset();
  server.onEmbed((text) => conceptEmbedding(text));
});

describe("router embeddings tier", () => {
  it("classifies what the local tier is unsure of by similarity, and records what it cost", async () => {
    const { provider } = testProvider(server.url);
    const result = await routeMessage(config, UNSURE, {
      models: provider,
      signal: noSignal(),
      tenantId: "tenant-a",
    });
    expect(result.localConfidence).toBeLessThan(0.7);
    expect(result).toMatchObject({ route: "payment", tier: "embeddings", unsure: false, paid: true });
    expect(result.confidence).toBeGreaterThanOrEqual(0.7);
    expect(result.embeddings).toMatchObject({ model: "text-embedding-3-small", answer: "payment" });
    // 8 examples + 1 description, then the message; no chat call at all.
    expect(server.embeddingRequests.map((r) => r.input.length)).toEqual([9, 1]);
    expect(server.embeddingRequests[1]!.input).toEqual([UNSURE]);
    expect(server.requests).toHaveLength(0);
    expect(result.usage!.promptTokens).toBeGreaterThan(0);
    expect(result.usage!.costUsd).toBeGreaterThan(0);
    expect(result.tokensSaved).toBeGreaterThan(0);
  });

  it("embeds the examples once per tenant, model and intents", async () => {
    const { provider } = testProvider(server.url);
    const options = { models: provider, signal: noSignal(), tenantId: "tenant-b" };
    const first = await routeMessage(config, UNSURE, options);
    const second = await routeMessage(config, "Klarna, is that an option?", options);
    expect(second).toMatchObject({ route: "payment", tier: "embeddings" });
    expect(server.embeddingRequests.map((r) => r.input.length)).toEqual([9, 1, 1]);
    // The step that embedded the examples paid for them; later ones pay for their message only.
    expect(second.usage!.promptTokens).toBeLessThan(first.usage!.promptTokens);
    await routeMessage(config, UNSURE, { ...options, tenantId: "tenant-c" });
    expect(server.embeddingRequests.map((r) => r.input.length)).toEqual([9, 1, 1, 9, 1]);
  });

  it("is not asked when the local tier is confident, nor without a real provider", async () => {
    const { provider } = testProvider(server.url);
    const sure = await routeMessage(config, "Where is my parcel? It has not arrived", {
      models: provider,
      signal: noSignal(),
      tenantId: "tenant-d",
    });
    expect(sure).toMatchObject({ route: "delivery", tier: "local", paid: false });
    const offline = await routeMessage(config, UNSURE, {
      models: createOfflineProvider(),
      signal: noSignal(),
      tenantId: "tenant-d",
    });
    expect(offline).toMatchObject({ tier: "local", unsure: true });
    expect(offline.embeddings).toBeUndefined();
    expect(server.embeddingRequests).toHaveLength(0);
  });

  it("leaves the last word to the LLM when the similarities do not settle it", async () => {
    // Every text looks the same to this embedder: no intent stands out.
    server.onEmbed(() => [1, 1, 1]);
    server.script([{ json: { intent: "payment", confidence: 0.9 } }]);
    const { provider } = testProvider(server.url);
    const result = await routeMessage({ ...config, model: "gpt-4o-mini" }, UNSURE, {
      models: provider,
      signal: noSignal(),
      tenantId: "tenant-e",
    });
    expect(result).toMatchObject({ route: "payment", tier: "llm", confidence: 0.9, paid: true });
    expect(result.embeddings!.confidence).toBeLessThan(0.7);
    expect(server.embeddingRequests).toHaveLength(2);
    expect(server.requests).toHaveLength(1);
    // Both calls are on the step's bill.
    expect(result.usage!.promptTokens).toBeGreaterThan(server.embeddingRequests[0]!.input.length);
  });

  it("passes on when the embeddings call fails: best intent, marked unsure, with the error recorded", async () => {
    server.onEmbed(() => {
      throw new Error("embedding backend down");
    });
    const { provider } = testProvider(server.url, { maxAttempts: 1 });
    const result = await routeMessage(config, UNSURE, {
      models: provider,
      signal: noSignal(),
      tenantId: "tenant-f",
    });
    expect(result).toMatchObject({ route: result.scores[0]!.intent, tier: "local", unsure: true });
    expect(result.embeddings).toMatchObject({ model: "text-embedding-3-small", answer: null });
    expect(result.embeddings!.error).toBeTruthy();
  });
});
