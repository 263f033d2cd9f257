import type { toolOrderLookupNode } from "../../nodes/tool-order-lookup";
import type { NodeExecutor } from "../executor";
import { projectOrder } from "./order-projection";

/**
 * Finds an order by its number and the email it was placed with. Templates that render empty count as not
 * given; with either missing the order is simply not found (the services are not asked), which the flow's
 * `output.found` edge handles like a wrong number. The output holds only the configured `fields`.
 */
export const toolOrderLookupExecutor: NodeExecutor<typeof toolOrderLookupNode> = async (ctx, config) => {
  const orderId = (await ctx.render(config.order_id)).trim();
  const customerEmail = (await ctx.render(config.customer_email)).trim();
  const complete = orderId !== "" && customerEmail !== "";
  const order = complete ? await ctx.services.lookupOrder({ orderId, customerEmail }) : undefined;
  return {
    output: { found: order !== undefined, order: projectOrder(order, config.fields) },
    port: "out",
    // Which factors were given, never their values: the trace is read by staff of every role.
    details: { order_id_given: orderId !== "", customer_email_given: customerEmail !== "" },
  };
};
