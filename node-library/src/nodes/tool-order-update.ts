import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { requireKeys, stringEnum, template } from "../fields";

export const toolOrderUpdateNode = markBuiltin(
  defineNode({
    type: "tool.order_update",
    version: 1,
    meta: {
      title: "Update order",
      category: "tools",
      icon: "package-check",
      description: "Cancels an order, changes its address, starts a return or sets its status.",
      docs: [
        "An **Update order** node applies one `action` to the order `order_id`: `cancel`, `change_address` " +
          "(with `address`), `request_return` or `update_status` (with `status`). A `reason` is kept in the " +
          "order's history.",
        "The output is `{ updated, order }`; `updated` is false when the order's state does not allow the " +
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
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      { order_id: "{{ vars.order_id }}", action: "cancel", reason: "Customer ordered the wrong size." },
      {
        order_id: "{{ nodes.find_order.output.order.id }}",
        action: "change_address",
        address: "{{ vars.new_address }}",
      },
      { order_id: "{{ vars.order_id }}", action: "update_status", status: "on_hold" },
    ],
  }),
);
