import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { converse, createGoldenSuite, PROVIDERS, trace, type Golden, type GoldenSuite } from "./golden-kit";
import { GREETING, routed } from "./customer-support-golden";

// customer_support_workflow's small talk: a hello or a thank-you on its own has intents of its own (greeting,
// thanks), decided by the local tier with or without a model. The rest of the flow: customer_support_workflow.test.ts.

describe("customer_support_workflow's small talk", () => {
  let suite: GoldenSuite;
  beforeAll(async () => {
    suite = await createGoldenSuite();
  });
  afterAll(() => suite.close());

  describe.each(PROVIDERS)("with the %s provider", (provider) => {
    let g: Golden;
    beforeEach(() => {
      g = suite.use(provider);
    });

    // A hello or a thank-you alone is answered, not guessed at: routed to its nearest intent, "thanks" after an
    // answer started the troubleshooting steps and "hi" called a person.
    it("answers a hello and a thank-you without starting a support flow or calling a person", async () => {
      const hello = await converse(g, "customer_support_workflow", "hello");
      expect(routed(hello)).toMatchObject({ route: "greeting", tier: "local", details: { unsure: false } });
      expect(hello.turns.map((t) => [t.replies, t.status])).toEqual([
        [
          [
            GREETING,
            "Hi! What can I help you with? An order, a return, sizes, or a problem with our website or app?",
          ],
          "completed",
        ],
      ]);
      expect(trace(hello)).toEqual(["start#1:out", "classify_intent#1:out", "say_hello#1:out", "done#1"]);

      const thanks = await converse(g, "customer_support_workflow", "perfect, thank you so much");
      expect(routed(thanks)).toMatchObject({ route: "thanks", tier: "local", details: { unsure: false } });
      expect(thanks.turns.map((t) => t.replies.at(-1))).toEqual([
        "You're welcome! If there's anything else, just write it here.",
      ]);
      expect(thanks.run.output).toMatchObject({ outcome: "resolved" });
      expect(g.server.requests).toHaveLength(0);
      // A request after a greeting or a thank-you still goes where it belongs.
      for (const [message, route] of [
        ["Hi, where is my order?", "order"],
        ["thanks but my order still has not arrived", "order"],
        ["good morning, my promo code is not working", "technical"],
      ] as const) {
        expect(routed(await converse(g, "customer_support_workflow", message)).route).toBe(route);
      }
    });
  });
});
