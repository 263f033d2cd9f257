import type { replyNode } from "../../nodes/reply";
import type { NodeExecutor } from "../executor";

/** A message without a model. Delivery happens when the step is committed, so it needs no commit of its own. */
export const replyExecutor: NodeExecutor<typeof replyNode> = async (ctx, config) => {
  const text = await ctx.render(config.text);
  const choices = config.quick_replies ?? [];
  return {
    output: { text, quick_replies: choices },
    port: "out",
    messages: [text],
    ...(choices.length > 0 ? { choices } : {}),
  };
};
