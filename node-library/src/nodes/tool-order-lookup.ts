import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { atLeastOneOf, template } from "../fields";

export const toolOrderLookupNode = markBuiltin(
  defineNode({
    type: "tool.order_lookup",
    version: 1,
    meta: {
      title: "Look up order",
      category: "tools",
      icon: "package-search",
      description: "Finds an order by its number or the customer's email address.",
      docs: [
        "A **Look up order** node searches your workspace's orders by `order_id`, or by `customer_email` (the " +
          "most recent order wins). Give at least one of the two.",
        "The output is `{ found, order }`; branch on `output.found` before reading `order.status`, " +
          "`order.items` or `order.tracking_number`. Agents can call it as a tool.",
      ].join("\n\n"),
      tags: ["orders", "ecommerce", "status", "tracking"],
    },
    config: Type.Object(
      {
        order_id: Type.Optional(
          template({ maxLength: 500, title: "Order number", description: "Number of the order to find." }),
        ),
        customer_email: Type.Optional(
          template({
            maxLength: 500,
            title: "Customer email",
            description: "Find the customer's most recent order by their email address.",
          }),
        ),
      },
      { additionalProperties: false, ...atLeastOneOf("order_id", "customer_email") },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [{ order_id: "{{ vars.order_id }}" }, { customer_email: "{{ input.email }}" }],
  }),
);
