import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { template } from "../fields";
import { orderFieldsSetting } from "./order-fields";

export const toolOrderLookupNode = markBuiltin(
  defineNode({
    type: "tool.order_lookup",
    // 2: customer_email became required (the second factor); a v1 config without it fails validation with its
    // line instead of being upgraded to a lookup that can never match.
    version: 2,
    meta: {
      title: "Look up order",
      category: "tools",
      icon: "package-search",
      description: "Finds an order by its number and the email address it was placed with.",
      docs: [
        "A **Look up order** node finds the order `order_id` only when `customer_email` is the email it was " +
          "placed with: the number alone is printed on parcels and easy to guess, so it never shows an order. " +
          "Ask a guest for both; with a blank or wrong email the order is not found, exactly as if the number " +
          "did not exist.",
        "The output is `{ found, order }`; branch on `output.found` before reading `order.status`, " +
          "`order.items` or `order.tracking_number`. The order holds the `fields` listed (by default all but " +
          "the customer's email and shipping address). Agents can call it as a tool.",
      ].join("\n\n"),
      tags: ["orders", "ecommerce", "status", "tracking"],
    },
    config: Type.Object(
      {
        order_id: template({
          maxLength: 500,
          title: "Order number",
          description: "Number of the order to find.",
          nonBlank: true,
        }),
        customer_email: template({
          maxLength: 500,
          title: "Customer email",
          description: "The email the order was placed with; the order is found only when both match.",
          nonBlank: true,
        }),
        fields: orderFieldsSetting(),
      },
      { additionalProperties: false },
    ),
    migrations: { 1: (config) => config },
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      { order_id: "{{ vars.order_id }}", customer_email: "{{ vars.email }}" },
      {
        order_id: "{{ input.order_id }}",
        customer_email: "{{ input.customer_email }}",
        fields: ["id", "status", "shipping_address"],
      },
    ],
  }),
);
