import type { setNode } from "../../nodes/set";
import type { NodeExecutor } from "../executor";

/** Expressions first, then templates; both read `vars` as it was before the node ran (documented on the node). */
export const setExecutor: NodeExecutor<typeof setNode> = async (ctx, config) => {
  const values: Record<string, unknown> = {};
  for (const [name, expression] of Object.entries(config.expressions ?? {}))
    values[name] = ctx.evaluate(expression);
  for (const [name, template] of Object.entries(config.values ?? {}))
    values[name] = await ctx.render(template);
  if (config.conversation === undefined) return { output: { values }, port: "out", vars: values };
  const conversation: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(config.conversation))
    conversation[name] = await ctx.render(template);
  return { output: { values, conversation }, port: "out", vars: values, conversation };
};
