import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  agentReply,
  converse,
  createGoldenSuite,
  eventData,
  expectedUsage,
  PROVIDERS,
  requestKinds,
  step,
  streamed,
  trace,
  type Golden,
  type GoldenSuite,
} from "./golden-kit";

// faq_handling: KB search → the agent answers from the best articles, or (nothing found) offers a person.

let suite: GoldenSuite;
beforeAll(async () => {
  suite = await createGoldenSuite();
});
afterAll(() => suite.close());

const OFFER =
  "I'm sorry, I couldn't find an answer to that in our help center.\n" +
  "Would you like me to connect you with a member of our team?";

describe.each(PROVIDERS)("faq_handling on %s", (provider) => {
  let g: Golden;
  beforeEach(() => {
    g = suite.use(provider);
  });

  it("answers a shipping question from the help center, quoting the right article offline", async () => {
    const answer =
      "Standard delivery within the US takes 3–5 working days and is free on orders over $75 " +
      '(source: "Shipping times and delivery costs").';
    g.script([agentReply(answer)]);
    const c = await converse(g, "faq_handling", "Hi! How many days does standard delivery take to Ohio?");

    const [article] = await g.query<{ body: string }>(
      "SELECT body FROM kb_articles WHERE title = 'Shipping times and delivery costs'",
    );
    const offline =
      `Here's what our help center says in "Shipping times and delivery costs":\n\n${article!.body}\n\n` +
      `Not what you were looking for? Just write "talk to a person" and I'll connect you with our team.`;
    const reply = g.pick({ offline, openai: answer });
    expect(c.turns).toEqual([{ said: expect.any(String), replies: [reply], status: "completed" }]);
    expect(trace(c)).toEqual([
      "start#1:out",
      "search_kb#1:out",
      "has_articles#1:then",
      "answer#1:out",
      "answered#1",
    ]);
    expect(c.run.output).toEqual({ reply: null, outcome: "resolved", output: {} });
    const search = step(c, "search_kb#1").output as { found: boolean; results: Array<{ title: string }> };
    expect(search.found).toBe(true);
    expect(search.results[0]!.title).toBe("Shipping times and delivery costs");

    // The answer was streamed token by token, and its cost is on the step.
    expect(streamed(g, c.runId, "answer#1")).toBe(reply);
    const agent = step(c, "answer#1");
    expect(agent.usage).toEqual(expectedUsage(g));
    expect(agent.details).toMatchObject({ provider, offline: provider === "offline" });
    expect(requestKinds(g)).toEqual(g.pick({ offline: [], openai: ["agent:gpt-4o-mini"] }));
    expect(g.server.pending()).toBe(0);
  });

  it("gives the model the matching articles, best first, under the shop's system prompt", async () => {
    g.script([agentReply("You can return unworn items within 30 days; returns are free in the US.")]);
    const c = await converse(g, "faq_handling", "what's your returns policy if my boots don't fit?");

    const search = step(c, "search_kb#1").output as { results: Array<{ title: string; score: number }> };
    expect(search.results.map((r) => r.title)).toEqual([
      "Returns and exchanges: our 30-day policy",
      "Size guide: finding the right size and fit",
    ]);
    expect(search.results[0]!.score).toBeGreaterThan(search.results[1]!.score);
    expect(c.run.status).toBe("completed");
    const prompts = g.server.requests.map((r) => r.lastUserMessage);
    expect(prompts).toEqual(
      g.pick({
        offline: [],
        openai: [expect.stringContaining("[1] Returns and exchanges: our 30-day policy")],
      }),
    );
    expect(g.server.requests.map((r) => r.messages[0]?.content)).toEqual(
      g.pick({ offline: [], openai: [expect.stringContaining("support assistant of Acme Outfitters")] }),
    );
  });

  it("offers a person when the help center has no answer, and hands over on yes", async () => {
    const c = await converse(g, "faq_handling", "Do you rent out tents and sleeping bags for a weekend?", [
      "Yes, connect me",
      {
        handback: {
          agentReply: "We don't rent gear, sorry! But the Trailside tent is on sale.",
          resolved: true,
        },
      },
    ]);

    expect(c.turns.map((t) => [t.replies, t.status])).toEqual([
      [[OFFER], "waiting"],
      [
        ["Sure! I'm connecting you with a member of our team. They'll see your question right away."],
        "handoff",
      ],
      [[], "completed"],
    ]);
    expect(trace(c)).toEqual([
      "start#1:out",
      "search_kb#1:out",
      "has_articles#1:else",
      "offer_human#1:out",
      "to_human#1:out",
      "escalated#1",
    ]);
    expect(step(c, "search_kb#1").output).toEqual({ found: false, results: [] });
    expect(eventData(c, "run.handoff")).toMatchObject({
      queue: "support",
      priority: "medium",
      reason: "The help center has no answer to the customer's question",
    });
    expect(step(c, "to_human#1").output).toEqual({
      agent_reply: "We don't rent gear, sorry! But the Trailside tent is on sale.",
      resolved: true,
    });
    expect(c.run.output).toEqual({ reply: null, outcome: "escalated", output: {} });
    expect(g.server.requests).toHaveLength(0);
  });

  it("ends unresolved when the customer declines a person", async () => {
    const c = await converse(g, "faq_handling", "Can I pay in bitcoin at your warehouse shop?", [
      "no thanks",
    ]);

    const goodbye = "No problem! You can also browse our help center any time, or ask me something else.";
    expect(c.turns.map((t) => [t.replies, t.status])).toEqual([
      [[OFFER], "waiting"],
      [[goodbye], "completed"],
    ]);
    expect(trace(c)).toEqual([
      "start#1:out",
      "search_kb#1:out",
      "has_articles#1:else",
      "offer_human#1:out",
      "not_answered#1",
    ]);
    expect(c.run.output).toEqual({ reply: goodbye, outcome: "unresolved", output: {} });
    expect(c.events.filter((e) => e.type === "run.handoff")).toHaveLength(0);
    expect(g.server.requests).toHaveLength(0);
  });
});

describe("faq_handling keeps the opening message", () => {
  // input.message is the customer's LATEST message (NODE-SPEC.md), so after offer_human it is "yes please".
  it("puts the unanswered question, not the yes, in the handoff summary for staff", async () => {
    const g = suite.use("offline");
    const c = await converse(g, "faq_handling", "Do you rent out tents and sleeping bags for a weekend?", [
      "yes please",
    ]);
    expect(eventData(c, "run.handoff").summary).toBe(
      "FAQ with no help-center answer: Do you rent out tents and sleeping bags for a weekend?",
    );
  });
});
