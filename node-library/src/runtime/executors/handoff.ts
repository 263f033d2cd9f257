import type { handoffNode } from "../../nodes/handoff";
import type { NodeExecutor } from "../executor";

/**
 * Parks the run for a human (status `handoff`). When staff hand the conversation back, the run continues from
 * here with `{ agent_reply, resolved }`, so the flow can close or carry on.
 */
export const handoffExecutor: NodeExecutor<typeof handoffNode> = async (ctx, config) => {
  if (ctx.resume?.kind === "handback") {
    return {
      output: { agent_reply: ctx.resume.agentReply ?? null, resolved: ctx.resume.resolved },
      port: "out",
    };
  }
  const message = await ctx.render(config.message ?? "Let me connect you with a member of our team.");
  const reason = config.reason === undefined ? "" : await ctx.render(config.reason);
  const summary = config.summary === undefined ? undefined : await ctx.render(config.summary);
  return {
    output: { message, reason, queue: config.queue ?? "support" },
    messages: [message],
    suspend: {
      kind: "handoff",
      queue: config.queue ?? "support",
      priority: config.priority ?? "medium",
      reason,
      ...(summary === undefined ? {} : { summary }),
    },
  };
};
