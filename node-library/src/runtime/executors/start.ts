import type { startNode } from "../../nodes/start";
import type { NodeExecutor } from "../executor";

/** The run input is the start's output; a greeting, when set, is the first message of the conversation. */
export const startExecutor: NodeExecutor<typeof startNode> = async (ctx, config) => {
  const greeting = config.greeting === undefined ? undefined : await ctx.render(config.greeting);
  return { output: ctx.scope.input, port: "out", ...(greeting ? { messages: [greeting] } : {}) };
};
