import type { askNode } from "../../nodes/ask";
import type { NodeExecutor } from "../executor";

/**
 * First visit: sends the question and suspends the run. Re-entered with the customer's message: checks it
 * against `validation` (CEL, sees `answer`) and either stores it or asks again with `retry_prompt`.
 */
export const askExecutor: NodeExecutor<typeof askNode> = async (ctx, config) => {
  const choices = config.choices ?? [];
  if (ctx.resume?.kind !== "message") {
    const prompt = await ctx.render(config.prompt);
    return { output: { prompt }, messages: [prompt], suspend: { kind: "ask", choices } };
  }
  const answer = ctx.resume.text.trim();
  if (config.validation !== undefined && ctx.evaluate(config.validation, { answer }) !== true) {
    const retry = await ctx.render(config.retry_prompt ?? config.prompt);
    return {
      output: { prompt: retry, rejected: answer },
      messages: [retry],
      suspend: { kind: "ask", choices },
    };
  }
  return { output: { answer }, port: "out", vars: { [config.variable]: answer } };
};
