import type { toolOrderLookupNode } from "../../nodes/tool-order-lookup";
import type { NodeExecutor } from "../executor";

/**
 * Finds an order by number or by the customer's email (their latest order). Templates that render empty
 * count as not given; with neither, the order is simply not found, which the flow's `output.found` edge
 * handles like a wrong number.
 */
export const toolOrderLookupExecutor: NodeExecutor<typeof toolOrderLookupNode> = async (ctx, config) => {
  const orderId = config.order_id === undefined ? "" : (await ctx.render(config.order_id)).trim();
  const customerEmail =
    config.customer_email === undefined ? "" : (await ctx.render(config.customer_email)).trim();
  const order =
    orderId === "" && customerEmail === ""
      ? undefined
      : await ctx.services.lookupOrder({
          ...(orderId ? { orderId } : {}),
          ...(customerEmail ? { customerEmail } : {}),
        });
  return {
    output: { found: order !== undefined, order: order ?? null },
    port: "out",
    details: { by: orderId ? "order_id" : customerEmail ? "customer_email" : "nothing" },
  };
};
