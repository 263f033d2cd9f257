import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  agentReply,
  converse,
  createGoldenSuite,
  PROVIDERS,
  requestKinds,
  step,
  streamed,
  trace,
  type Golden,
  type GoldenSuite,
} from "./golden-kit";

// example_workflow: start → one agent (gpt-4o) answers → end. The smallest flow, run to completion.

let suite: GoldenSuite;
beforeAll(async () => {
  suite = await createGoldenSuite();
});
afterAll(() => suite.close());

const OFFLINE =
  "Thanks for your message! Our assistant can't answer right now.\n" +
  "Please try again in a few minutes, or contact our support team directly.";

describe.each(PROVIDERS)("example_workflow on %s", (provider) => {
  let g: Golden;
  beforeEach(() => {
    g = suite.use(provider);
  });

  it("answers one message and completes", async () => {
    const answer =
      "The Ridgeline jacket comes in black, navy and forest green; green is in stock in S to XL.";
    g.script([agentReply(answer, 120, 30)]);
    const message = "Hi, do you have the Ridgeline waterproof jacket in green?";
    const c = await converse(g, "example_workflow", message);

    const reply = g.pick({ offline: OFFLINE, openai: answer });
    expect(c.turns).toEqual([{ said: message, replies: [reply], status: "completed" }]);
    expect(trace(c)).toEqual(["start#1:out", "process#1:out", "done#1"]);
    expect(c.run.output).toEqual({ reply: null, outcome: "resolved", output: {} });
    expect(streamed(g, c.runId, "process#1")).toBe(reply);

    const agent = step(c, "process#1");
    expect(agent.output).toMatchObject({
      text: reply,
      model: g.pick({ offline: "offline", openai: "gpt-4o" }),
      offline: provider === "offline",
    });
    // gpt-4o list price: $2.50 in, $10 out per million tokens.
    expect(agent.usage).toEqual(
      g.pick({
        offline: { promptTokens: expect.any(Number), completionTokens: expect.any(Number), costUsd: 0 },
        openai: {
          promptTokens: 120,
          completionTokens: 30,
          costUsd: expect.closeTo((120 * 2.5 + 30 * 10) / 1e6, 12),
        },
      }),
    );
    expect(c.run.state.usage).toEqual(agent.usage);

    expect(requestKinds(g)).toEqual(g.pick({ offline: [], openai: ["agent:gpt-4o"] }));
    expect(g.server.requests.map((r) => [r.stream, r.lastUserMessage])).toEqual(
      g.pick({
        offline: [],
        openai: [[true, expect.stringContaining(`reply helpfully in two or three sentences:\n${message}`)]],
      }),
    );
    expect(g.server.pending()).toBe(0);
  });
});
