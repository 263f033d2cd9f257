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

// technical_support: troubleshooting articles → the agent guides → "Did that fix it?"; on a no, up to two more
// rounds (vars.fix_attempts counts them), then a high-priority ticket and a handoff to the technical team.

let suite: GoldenSuite;
beforeAll(async () => {
  suite = await createGoldenSuite();
});
afterAll(() => suite.close());

const DID_IT_WORK = "Did that fix it?";
const FIXED = "Great, glad that's sorted! If anything else comes up, just send me a message.";
const ONE_MORE_THING =
  "One more thing worth trying: update your browser or the app to the latest version.\n" +
  "Then turn off any ad blocker or VPN and try again.";

async function article(g: Golden, title: string): Promise<string> {
  const [row] = await g.query<{ body: string }>("SELECT body FROM kb_articles WHERE title = $1", [title]);
  expect(row).toBeDefined();
  return `Here's our help article "${title}":\n\n${row!.body}`;
}

describe.each(PROVIDERS)("technical_support on %s", (provider) => {
  let g: Golden;
  beforeEach(() => {
    g = suite.use(provider);
  });

  it("fixes a missing password-reset email on the first try", async () => {
    const guide =
      "1. Check your spam or junk folder.\n2. Make sure you typed the email you registered with.\n" +
      "3. Wait 10 minutes, then request a new link.";
    g.script([agentReply(guide)]);
    const c = await converse(
      g,
      "technical_support",
      "I forgot my password and the reset email isn't arriving",
      ["yes it works now, found it in spam!"],
    );

    const offline = await article(g, "Reset your password");
    expect(c.turns.map((t) => [t.replies, t.status])).toEqual([
      [[g.pick({ offline, openai: guide }), DID_IT_WORK], "waiting"],
      [[FIXED], "completed"],
    ]);
    expect(trace(c)).toEqual([
      "start#1:out",
      "find_steps#1:out",
      "guide#1:out",
      "ask_fixed#1:out",
      "fixed#1",
    ]);
    expect(eventData(c, "run.waiting")).toMatchObject({
      node: "ask_fixed",
      choices: ["Yes, it works now", "No, still not working"],
    });
    expect(c.run.output).toEqual({ reply: FIXED, outcome: "resolved", output: {} });
    expect(await g.query("SELECT id FROM tickets")).toEqual([]);
    expect(streamed(g, c.runId, "guide#1")).toBe(c.replies[0]);
    expect(step(c, "guide#1").usage).toEqual(expectedUsage(g));
    expect(requestKinds(g)).toEqual(g.pick({ offline: [], openai: ["agent:gpt-4o-mini"] }));
    expect(g.server.requests.map((r) => r.lastUserMessage)).toEqual(
      g.pick({ offline: [], openai: [expect.stringContaining("[1] Reset your password")] }),
    );
  });

  it("tries three rounds, then opens a ticket and hands over to the technical team", async () => {
    const rounds = [
      "1. Update the app.\n2. Close it completely and reopen it.",
      "Let's try clearing the app's cache under Settings > Apps > Acme Outfitters > Storage.",
      "As a last step, please uninstall and reinstall the app.",
    ];
    g.script(rounds.map((text) => agentReply(text)));
    const c = await converse(g, "technical_support", "The app crashes every time I open my cart", [
      "No, still not working",
      "Still crashing after the update, sorry",
      "nope, same thing",
      { handback: { agentReply: "Our developers are on it; use the website meanwhile.", resolved: false } },
    ]);

    const first = await article(g, "The app crashes, freezes or won't open");
    // Offline: one article per round while there are any (one matched), then general advice, twice alike.
    const [offline1, offline2, offline3] = [first, ONE_MORE_THING, ONE_MORE_THING];
    const [ticket] = await g.query<{ id: string; subject: string; description: string; priority: string }>(
      "SELECT id, subject, description, priority, category FROM tickets",
    );
    expect(c.turns.map((t) => [t.replies, t.status])).toEqual([
      [[g.pick({ offline: offline1, openai: rounds[0] }), DID_IT_WORK], "waiting"],
      [[g.pick({ offline: offline2, openai: rounds[1] }), DID_IT_WORK], "waiting"],
      [[g.pick({ offline: offline3, openai: rounds[2] }), DID_IT_WORK], "waiting"],
      [
        [
          "Sorry we couldn't fix it together. I'm connecting you with our technical team.\n" +
            `They can look into your account directly. Your reference is ${ticket!.id}.`,
        ],
        "handoff",
      ],
      [[], "completed"],
    ]);
    expect(trace(c)).toEqual([
      "start#1:out",
      "find_steps#1:out",
      "guide#1:out",
      "ask_fixed#1:out",
      "count_attempt#1:out",
      "guide#2:out",
      "ask_fixed#2:out",
      "count_attempt#2:out",
      "guide#3:out",
      "ask_fixed#3:out",
      "open_ticket#1:out",
      "escalate#1:out",
      "escalated#1",
    ]);
    expect(ticket).toMatchObject({
      priority: "high",
      category: "technical",
      description: expect.stringContaining("Troubleshooting rounds tried in chat without success: 3"),
    });
    expect(ticket!.description).toContain('Customer\'s last reply: "nope, same thing"');
    expect(ticket!.description).toContain("- The app crashes, freezes or won't open");
    expect(eventData(c, "run.handoff")).toMatchObject({
      queue: "technical",
      priority: "high",
      reason: "Troubleshooting did not fix the customer's technical problem",
    });
    expect(step(c, "escalate#1").output).toEqual({
      agent_reply: "Our developers are on it; use the website meanwhile.",
      resolved: false,
    });
    expect(c.run.output).toEqual({ reply: null, outcome: "escalated", output: {} });
    // Every round streamed and was paid for on its own step.
    const guideSteps = ["guide#1", "guide#2", "guide#3"];
    expect(guideSteps.map((id) => streamed(g, c.runId, id))).toEqual(
      c.turns.slice(0, 3).map((t) => t.replies[0]),
    );
    expect(guideSteps.map((id) => step(c, id).usage)).toEqual(Array(3).fill(expectedUsage(g)));
    expect(requestKinds(g)).toEqual(g.pick({ offline: [], openai: Array(3).fill("agent:gpt-4o-mini") }));
    // Later rounds tell the model which round it is and what the customer said.
    expect(g.server.requests.map((r) => r.lastUserMessage)).toEqual(
      g.pick({
        offline: [],
        openai: [
          expect.not.stringContaining("This is attempt"),
          expect.stringContaining(
            'This is attempt 2 of 3. The earlier steps did not fix it; the customer\nreplied: "No, still not working"',
          ),
          expect.stringContaining(
            'This is attempt 3 of 3. The earlier steps did not fix it; the customer\nreplied: "Still crashing after the update, sorry"',
          ),
        ],
      }),
    );
  });
});

describe("technical_support, known defects", () => {
  // kb-search scores the share of the question's words an article covers, rare words weighing most, so a few
  // words of context ("I've tried three times") push the right article under find_steps' min_score of 0.3.
  it.fails("finds the password article for a question with some everyday context", async () => {
    const g = suite.use("offline");
    const c = await converse(
      g,
      "technical_support",
      "I never got the password reset email, I've tried three times",
    );
    const search = step(c, "find_steps#1").output as { results: Array<{ title: string }> };
    expect(search.results[0]?.title).toBe("Reset your password");
  });

  // input.message is the customer's LATEST message (NODE-SPEC.md): after ask_fixed it is "no", not the problem.
  it("describes the original problem in the ticket", async () => {
    const g = suite.use("offline");
    const c = await converse(g, "technical_support", "My promo code SPRING15 is rejected at checkout", [
      "No, still not working",
      "no",
      "no, it still says invalid",
    ]);
    const id = (step(c, "open_ticket#1").output as { ticket_id: string }).ticket_id;
    const [ticket] = await g.query<{ subject: string; description: string }>(
      "SELECT subject, description FROM tickets WHERE id = $1",
      [id],
    );
    expect(ticket).toMatchObject({
      subject: "Technical issue: My promo code SPRING15 is rejected at checkout",
      description: expect.stringContaining("Problem as the customer described it:\nMy promo code SPRING15"),
    });
  });

  it("tells the model the original problem on the second round", async () => {
    const g = suite.use("openai");
    g.script([agentReply("Round one."), agentReply("Round two.")]);
    await converse(g, "technical_support", "My card keeps getting declined at checkout", [
      "No, still not working",
    ]);
    expect(g.server.requests[1]!.lastUserMessage).toContain(
      "The customer's problem:\nMy card keeps getting declined at checkout",
    );
  });
});
