import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { requireKeys, stringEnum, template } from "../fields";
import { orderFieldsSetting } from "./order-fields";

export const toolOrderUpdateNode = markBuiltin(
  defineNode({
    type: "tool.order_update",
    // 2: customer_email became required (the second factor, as for tool.order_lookup).
    version: 2,
    meta: {
      title: "Update order",
      category: "tools",
      icon: "package-check",
      description: "Cancels an order, changes its address, starts a return or sets its status.",
      docs: [
        "An **Update order** node applies one `action` to the order `order_id`: `cancel`, `change_address` " +
          "(with `address`), `request_return` or `update_status` (with `status`). A `reason` is kept in the " +
          "order's history. The order is changed only when `customer_email` is the email it was placed with; " +
          "otherwise nothing changes and the answer is the same as for a number that does not exist.",
        "The output is `{ updated, order }` (the order with the `fields` listed, as for Look up order); `updated` is false when the order's state does not allow the " +
          "action, e.g. cancelling an order that has shipped. Retries are safe: the change is applied once " +
          "per run step.",
      ].join("\n\n"),
      tags: ["orders", "cancel", "return", "address"],
    },
    config: Type.Object(
      {
        order_id: template({
          maxLength: 500,
          title: "Order number",
          description: "Number of the order to change.",
          nonBlank: true,
        }),
        customer_email: template({
          maxLength: 500,
          title: "Customer email",
          description: "The email the order was placed with; the order is changed only when both match.",
          nonBlank: true,
        }),
        action: stringEnum(["cancel", "change_address", "request_return", "update_status"], {
          title: "Action",
          description: "What to do with the order.",
        }),
        status: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            title: "Status",
            description: "New status for update_status, e.g. on_hold.",
          }),
        ),
        address: Type.Optional(
          template({
            maxLength: 2000,
            title: "Address",
            description: "New shipping address for change_address.",
          }),
        ),
        reason: Type.Optional(
          template({ title: "Reason", description: "Why the change is made; kept in the order history." }),
        ),
        fields: orderFieldsSetting(),
      },
      {
        additionalProperties: false,
        // The action is useless without its value, and the validator can say so with a line number.
        allOf: [
          { if: { properties: { action: { const: "update_status" } } }, then: requireKeys("status") },
          { if: { properties: { action: { const: "change_address" } } }, then: requireKeys("address") },
        ],
      },
    ),
    migrations: { 1: (config) => config },
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        order_id: "{{ vars.order_id }}",
        customer_email: "{{ vars.email }}",
        action: "cancel",
        reason: "Customer ordered the wrong size.",
      },
      {
        order_id: "{{ nodes.find_order.output.order.id }}",
        customer_email: "{{ vars.email }}",
        action: "change_address",
        address: "{{ vars.new_address }}",
      },
      {
        order_id: "{{ vars.order_id }}",
        customer_email: "{{ input.customer_email }}",
        action: "update_status",
        status: "on_hold",
      },
    ],
  }),
);
