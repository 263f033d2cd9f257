import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { template } from "../fields";

export const replyNode = markBuiltin(
  defineNode({
    type: "reply",
    version: 1,
    meta: {
      title: "Reply",
      category: "ai",
      icon: "message-square",
      description: "Sends a message to the customer without calling a model.",
      docs: [
        "A **Reply** node sends fixed or templated text to the customer, for example a confirmation built from " +
          "a tool's result. It costs nothing and answers instantly, so prefer it over an **Agent** whenever the " +
          "wording is known in advance.",
        "`quick_replies` adds buttons under the message on channels that support them; a click arrives as the " +
          "customer's next message, usually read by an **Ask** or **Router** node.",
      ].join("\n\n"),
      tags: ["message", "send"],
    },
    config: Type.Object(
      {
        text: template({ title: "Text", description: "The message sent to the customer.", nonBlank: true }),
        quick_replies: Type.Optional(
          Type.Array(
            Type.String({
              minLength: 1,
              maxLength: 80,
              title: "Quick reply",
              description: "Button label; clicking it sends the label as the customer's message.",
            }),
            {
              maxItems: 10,
              uniqueItems: true,
              title: "Quick replies",
              description: "Suggested answers shown as buttons on channels that support them.",
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    pure: true,
    examples: [
      {
        text: "Your order {{ nodes.find_order.output.order.id }} is {{ nodes.find_order.output.order.status }}.",
        quick_replies: ["Track my package", "Talk to a person"],
      },
    ],
  }),
);
