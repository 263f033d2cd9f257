import type { replyNode } from "../../nodes/reply";
import type { NodeExecutor } from "../executor";

/** A message without a model. Delivery happens when the step is committed, so it needs no commit of its own. */
export const replyExecutor: NodeExecutor<typeof replyNode> = async (ctx, config) => {
  const text = await ctx.render(config.text);
  return { output: { text, quick_replies: config.quick_replies ?? [] }, port: "out", messages: [text] };
};
