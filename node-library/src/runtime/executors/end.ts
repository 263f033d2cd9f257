import type { endNode } from "../../nodes/end";
import type { NodeExecutor } from "../executor";

/** Completes the flow (or the subflow) with a last message, an outcome for analytics and named outputs. */
export const endExecutor: NodeExecutor<typeof endNode> = async (ctx, config) => {
  const reply = config.reply === undefined ? undefined : await ctx.render(config.reply);
  const output: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.output ?? {}))
    output[name] = await ctx.render(template);
  return {
    output: { reply: reply ?? null, outcome: config.outcome ?? "resolved", output },
    ...(reply ? { messages: [reply] } : {}),
  };
};
