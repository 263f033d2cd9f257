import type { conditionNode } from "../../nodes/condition";
import type { NodeExecutor } from "../executor";

/** CEL truthiness is strict: only `true` takes the `then` port, so a missing value cannot pass by accident. */
export const conditionExecutor: NodeExecutor<typeof conditionNode> = async (ctx, config) => {
  const result = ctx.evaluate(config.expression) === true;
  return { output: { result }, port: result ? "then" : "else" };
};
