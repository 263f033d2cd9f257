import Type from "typebox";
import { IDENTIFIER_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { atLeastOneOf, expression, map, template } from "../fields";

/** Identifiers, except the conversation's own fields (id, channel, history, last_message, greeted). */
export const CONVERSATION_KEY_PATTERN =
  "^(?!(?:id|channel|history|last_message|greeted)$)[A-Za-z_][A-Za-z0-9_]*$";

export const setNode = markBuiltin(
  defineNode({
    type: "set",
    version: 1,
    meta: {
      title: "Set variables",
      category: "logic",
      icon: "variable",
      description: "Stores values in vars for later nodes, from templates or expressions.",
      docs: [
        "A **Set** node writes variables that every later node reads as `vars.<name>`. Under `values`, each " +
          "variable is rendered from a Liquid template and is always text; under `expressions`, each is computed " +
          "by CEL and keeps its type (numbers, booleans, lists), which is what counters and flags need.",
        "Give at least one of the two. Every entry sees `vars` as it was before the node ran, so their order " +
          "does not matter. The output is `{ values }`, holding every variable the node set.",
        "Under `conversation`, templates write the conversation's memory instead: `conversation.<name>` is kept " +
          "after the run ends and every later run of the same conversation starts with it (the order being " +
          'discussed, the customer\'s name or email once known), so a follow-up such as "cancel it" knows what ' +
          "it refers to. `id`, `channel`, `history`, `last_message` and `greeted` are the conversation's own and " +
          "cannot be set. The output then also holds `{ conversation }`.",
      ].join("\n\n"),
      tags: ["variables", "assign", "counter"],
    },
    config: Type.Object(
      {
        values: Type.Optional(
          map(template({ title: "Value", description: "Template rendered into this variable." }), {
            keyPattern: IDENTIFIER_PATTERN,
            title: "Values",
            description: "Variables set from text templates; the result is always a string.",
          }),
        ),
        expressions: Type.Optional(
          map(expression({ title: "Expression", description: "CEL expression computing this variable." }), {
            keyPattern: IDENTIFIER_PATTERN,
            title: "Expressions",
            description: "Variables computed by CEL; numbers, booleans and lists keep their type.",
          }),
        ),
        conversation: Type.Optional(
          map(
            template({ title: "Value", description: "Template rendered into this conversation variable." }),
            {
              keyPattern: CONVERSATION_KEY_PATTERN,
              title: "Conversation memory",
              description:
                "Conversation variables (conversation.<name>) that later runs of this conversation see, e.g. the order being discussed.",
            },
          ),
        ),
      },
      { additionalProperties: false, ...atLeastOneOf("values", "expressions", "conversation") },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    pure: true,
    examples: [
      {
        values: { customer_email: "{{ input.email | downcase }}", topic: "billing" },
        expressions: { attempts: "has(vars.attempts) ? vars.attempts + 1 : 1" },
      },
      { expressions: { is_vip: "nodes.find_order.output.order.total > 500.0" } },
      { conversation: { order_id: "{{ nodes.find_order.output.order.id }}", email: "{{ vars.email }}" } },
    ],
  }),
);
