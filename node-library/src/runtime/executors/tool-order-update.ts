import type { toolOrderUpdateNode } from "../../nodes/tool-order-update";
import type { NodeExecutor } from "../executor";
import { projectOrder } from "./order-projection";

/**
 * Applies one action to an order. The services enforce the shop's rules and answer `{ updated: false,
 * reason }` when the order's state does not allow the action (not an error: the flow tells the customer
 * why). The step's idempotency key makes a retry or a recovered run return the first result. The order is
 * changed only when `customer_email` is its email; the output holds only the configured `fields`.
 */
export const toolOrderUpdateExecutor: NodeExecutor<typeof toolOrderUpdateNode> = async (ctx, config) => {
  const orderId = (await ctx.render(config.order_id)).trim();
  const customerEmail = (await ctx.render(config.customer_email)).trim();
  const address = config.address === undefined ? undefined : (await ctx.render(config.address)).trim();
  const reason = config.reason === undefined ? undefined : (await ctx.render(config.reason)).trim();
  const result = await ctx.services.updateOrder(
    {
      orderId,
      customerEmail,
      action: config.action,
      ...(config.status ? { status: config.status } : {}),
      ...(address ? { address } : {}),
      ...(reason ? { reason } : {}),
    },
    ctx.idempotencyKey,
  );
  return {
    output: {
      updated: result.updated,
      ...(result.reason ? { reason: result.reason } : {}),
      order: projectOrder(result.order, config.fields),
    },
    port: "out",
    // Committed before anything depends on it, even when refused: the refusal is what the customer is told.
    effect: true,
    details: { action: config.action, order_id: orderId, updated: result.updated },
  };
};
