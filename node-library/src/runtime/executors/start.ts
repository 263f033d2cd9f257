import type { startNode } from "../../nodes/start";
import type { NodeExecutor } from "../executor";

/**
 * The run input is the start's output; a greeting, when set, is the first message of the conversation, once: not
 * when the chat's opening already showed it, nor in a later run of the conversation or a subflow.
 */
export const startExecutor: NodeExecutor<typeof startNode> = async (ctx, config) => {
  const greets = config.greeting !== undefined && ctx.scope.conversation.greeted !== true;
  const greeting = greets ? await ctx.render(config.greeting!) : undefined;
  return { output: ctx.scope.input, port: "out", ...(greeting ? { messages: [greeting] } : {}) };
};
