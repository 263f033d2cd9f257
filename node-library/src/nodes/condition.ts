import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { expression } from "../fields";

export const conditionNode = markBuiltin(
  defineNode({
    type: "condition",
    version: 1,
    meta: {
      title: "Condition",
      category: "logic",
      icon: "git-branch",
      description: "Takes the then or else path depending on a yes/no expression.",
      docs: [
        "A **Condition** node evaluates a CEL `expression` such as `vars.order_total > 100` and continues on its " +
          "`then` port when the result is true, on `else` when it is false. An expression that does not yield " +
          "a boolean, or fails, takes the `error` port.",
        "For more than two branches use conditions on the edges of any node, or a **Router** for intents.",
      ].join("\n\n"),
      tags: ["if", "branch", "cel"],
    },
    config: Type.Object(
      {
        expression: expression({
          title: "Expression",
          description: "A CEL expression that is true or false, e.g. nodes.find_order.output.found.",
        }),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["then", "else", "error"] },
    waits: false,
    pure: true,
    examples: [
      { expression: "nodes.find_order.output.found && nodes.find_order.output.order.status == 'shipped'" },
      { expression: "size(input.message) > 500" },
    ],
  }),
);
