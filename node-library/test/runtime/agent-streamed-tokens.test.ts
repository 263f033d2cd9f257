import { describe, expect, it } from "vitest";
import type { ExecutorEvent, ModelGateway } from "../../src/runtime/index";
import { agentExecutor } from "../../src/runtime/executors/agent";
import { fakeToolContext } from "./fake-tool-context";

// A chat widget opens a bubble at the first streamed token. An answer of whitespace only used to open one that
// stayed empty; now tokens start at the first visible character (the whitespace before it goes with it), and
// the blank answer is still handed to the engine, which leaves it unsent and notes why (runtime blank-messages).
function streamingAgent(pieces: readonly string[]) {
  const models: ModelGateway = {
    provider: "openai",
    offline: false,
    async complete(request, options) {
      for (const piece of pieces) options.onToken?.(piece);
      const usage = { promptTokens: 1, completionTokens: 1, costUsd: 0 };
      return {
        text: pieces.join(""),
        toolCalls: [],
        usage,
        model: request.model,
        provider: "openai",
        offline: false,
      };
    },
  };
  const emitted: ExecutorEvent[] = [];
  const { ctx } = fakeToolContext({});
  const context = { ...ctx, models, emit: (event: ExecutorEvent) => void emitted.push(event) };
  return { run: () => agentExecutor(context, { prompt_template: "Hi", stream: true }), emitted };
}

describe("the agent's streamed tokens", () => {
  it("hold back leading whitespace and send it with the first visible text", async () => {
    const agent = streamingAgent([" ", "\n\n", "Hello", " there", "\n"]);
    const result = await agent.run();
    expect(agent.emitted).toEqual([
      { type: "token", text: " \n\nHello" },
      { type: "token", text: " there" },
      { type: "token", text: "\n" },
    ]);
    expect(result.messages).toEqual([" \n\nHello there\n"]);
  });

  it("stream nothing for an answer of whitespace only, which still goes to the engine to decide", async () => {
    const agent = streamingAgent([" ", "\n", "\t "]);
    const result = await agent.run();
    expect(agent.emitted).toEqual([]);
    expect(result.messages).toEqual([" \n\t "]);
  });
});
