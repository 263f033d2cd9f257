import Type from "typebox";
import { IDENTIFIER_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { map, stringEnum, template } from "../fields";

export const endNode = markBuiltin(
  defineNode({
    type: "end",
    version: 1,
    meta: {
      title: "End",
      category: "flow",
      icon: "flag",
      description: "Finishes the run, optionally with a last message and an outcome for analytics.",
      docs: [
        "An **End** node finishes the run. A flow may have several, one per way the conversation can end. " +
          "Its `reply` is sent to the customer as the last message, and its `outcome` (resolved, unresolved or " +
          "escalated) feeds the resolution-rate reports.",
        "Values under `output` become the run's result; when this flow is called from a **Subflow** node, the " +
          "caller reads them as `nodes.<subflow>.output.output.<name>`. End has no outgoing edges.",
      ].join("\n\n"),
      tags: ["finish", "outcome"],
    },
    config: Type.Object(
      {
        reply: Type.Optional(
          template({
            title: "Reply",
            description: "Last message sent to the customer before the run finishes.",
          }),
        ),
        outcome: Type.Optional(
          stringEnum(["resolved", "unresolved", "escalated"], {
            default: "resolved",
            title: "Outcome",
            description: "How the conversation ended, for resolution-rate analytics.",
          }),
        ),
        output: Type.Optional(
          map(template({ title: "Value", description: "Template rendered into this output value." }), {
            keyPattern: IDENTIFIER_PATTERN,
            title: "Output",
            description: "Named values the run returns, each rendered from a template.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: [] },
    waits: false,
    pure: true,
    examples: [
      {
        reply: "Glad I could help, {{ vars.customer_name | default: 'there' }}! Have a great day.",
        outcome: "resolved",
        output: { order_id: "{{ nodes.find_order.output.order.id }}" },
      },
      { outcome: "unresolved" },
    ],
  }),
);
