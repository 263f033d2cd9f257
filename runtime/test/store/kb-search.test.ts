import type { DomainServices } from "@flowdeck/node-library/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDomainServices } from "../../src/domain/domain-services";
import { anyWordQuery } from "../../src/domain/kb-search";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";

/** The FAQ and technical-support flows search with min_score 0.3; these questions must clear it. */
const FLOW_MIN_SCORE = 0.3;

const BEST_ARTICLE: ReadonlyArray<readonly [question: string, title: string]> = [
  ["how do I reset my password", "Reset your password"],
  ["I forgot my password", "Reset your password"],
  ["I can't log in to my account", "I can't sign in (log in) to my account"],
  ["where is my parcel? it hasn't arrived", "Where is my order? Tracking your parcel"],
  ["how long does shipping take", "Shipping times and delivery costs"],
  ["do you ship to Canada", "International shipping, customs and duties"],
  ["can I return a jacket that doesn't fit", "Returns and exchanges: our 30-day policy"],
  ["when will I get my refund", "When will I get my refund?"],
  ["how do I cancel my order", "How to cancel an order"],
  ["I need to change my delivery address", "Changing the delivery address of an order"],
  ["the app keeps crashing on my phone", "The app crashes, freezes or won't open"],
  ["my card was declined at checkout", "Checkout errors and declined card payments"],
  ["my discount code doesn't work", "Promo code or gift card not working"],
  ["the website won't load", "Website pages not loading or looking broken"],
  ["do you accept PayPal?", "Payment methods we accept"],
  ["is there a warranty on hiking boots", "Warranty and repairs"],
  ["what size should I order", "Size guide: finding the right size and fit"],
  ["what are your opening hours", "Contact us: opening hours, phone and email"],
];

describe.each(TEST_DATABASE_KINDS)("knowledge-base search (%s)", (kind) => {
  let testDb: TestDatabase;
  let services: DomainServices;
  let emptyTenant: DomainServices;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    services = createDomainServices(testDb.db, await testDb.createTenant("Acme Outfitters", { seed: true }));
    emptyTenant = createDomainServices(testDb.db, await testDb.createTenant("Globex"));
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it.each(BEST_ARTICLE)("answers %j with %j first", async (question, title) => {
    const hits = await services.searchKnowledgeBase({ query: question, limit: 3, minScore: FLOW_MIN_SCORE });
    expect(hits[0]?.title).toBe(title);
    for (const hit of hits) {
      expect(hit.score).toBeGreaterThanOrEqual(FLOW_MIN_SCORE);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it("scores a question the articles fully cover at 1 and returns the article's text", async () => {
    const [hit] = await services.searchKnowledgeBase({
      query: "How do I reset my password?",
      limit: 1,
      minScore: 0,
    });
    expect(hit).toMatchObject({ title: "Reset your password", score: 1 });
    expect(hit!.body).toContain("Forgot password");
    expect(hit!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(["do you sell bicycles", "what's the weather like tomorrow", "hello", "how do I", "🙂", ""])(
    "finds nothing relevant for %j",
    async (question) => {
      const hits = await services.searchKnowledgeBase({
        query: question,
        limit: 3,
        minScore: FLOW_MIN_SCORE,
      });
      expect(hits).toEqual([]);
    },
  );

  it("searches only the given category (the technical-support flow uses troubleshooting)", async () => {
    const hits = await services.searchKnowledgeBase({
      query: "which payment methods do you accept? my payment was declined",
      limit: 5,
      minScore: 0,
      category: "troubleshooting",
    });
    expect(hits[0]?.title).toBe("Checkout errors and declined card payments");
    expect(hits.map((hit) => hit.title)).not.toContain("Payment methods we accept");
  });

  it("honours the limit and the minimum score", async () => {
    const all = await services.searchKnowledgeBase({
      query: "order shipping return refund",
      limit: 20,
      minScore: 0,
    });
    expect(all.length).toBeGreaterThan(3);
    const three = await services.searchKnowledgeBase({
      query: "order shipping return refund",
      limit: 3,
      minScore: 0,
    });
    expect(three).toEqual(all.slice(0, 3));
    const strong = await services.searchKnowledgeBase({
      query: "order shipping return refund",
      limit: 20,
      minScore: 0.5,
    });
    expect(strong.every((hit) => hit.score >= 0.5)).toBe(true);
    expect(strong.length).toBeLessThan(all.length);
  });

  it("treats search syntax in the question as plain words", async () => {
    for (const question of ['"reset" -password OR (', "password & reset | !", "reset:* password"]) {
      const hits = await services.searchKnowledgeBase({ query: question, limit: 1, minScore: 0 });
      expect(hits[0]?.title).toBe("Reset your password");
    }
  });

  it("searches only the tenant's own articles", async () => {
    expect(
      await emptyTenant.searchKnowledgeBase({ query: "reset my password", limit: 3, minScore: 0 }),
    ).toEqual([]);
  });
});

describe("anyWordQuery", () => {
  it("ORs the question's words and drops everything that could be syntax", () => {
    expect(anyWordQuery("How do I reset my password?")).toBe("how or do or i or reset or my or password");
    expect(anyWordQuery('"a" -b OR c & d')).toBe("a or b or c or d");
    expect(anyWordQuery("Größe 42 für Stiefel")).toBe("größe or 42 or für or stiefel");
    expect(anyWordQuery("?!")).toBe("");
  });
});
