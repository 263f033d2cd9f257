import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { stringEnum, template } from "../fields";

export const handoffNode = markBuiltin(
  defineNode({
    type: "handoff",
    version: 1,
    meta: {
      title: "Hand off to a human",
      category: "human",
      icon: "headset",
      description: "Passes the conversation to a human agent's inbox and waits until they finish.",
      docs: [
        "A **Handoff** node tells the customer `message`, puts the conversation in the human inbox `queue` " +
          "with a `priority`, a `reason` and a `summary` for the agent, and pauses the run.",
        "When the human agent closes the conversation the run resumes with `{ agent_reply, resolved }`, so the " +
          "flow can end with the right outcome or continue automatically.",
      ].join("\n\n"),
      tags: ["escalation", "human", "inbox", "live agent"],
    },
    config: Type.Object(
      {
        reason: Type.Optional(
          template({ title: "Reason", description: "Why the conversation needs a human, for the agent." }),
        ),
        queue: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            default: "support",
            title: "Queue",
            description: "Inbox queue the conversation goes to, e.g. support or billing.",
          }),
        ),
        priority: Type.Optional(
          stringEnum(["low", "medium", "high", "urgent"], {
            default: "medium",
            title: "Priority",
            description: "Where the conversation sits in the queue.",
          }),
        ),
        message: Type.Optional(
          template({
            default: "Let me connect you with a member of our team.",
            title: "Message to customer",
            description: "Told to the customer while they wait for a person.",
          }),
        ),
        summary: Type.Optional(
          template({
            title: "Summary",
            description: "Short recap of the conversation so far, shown to the agent.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: true,
    pure: true,
    examples: [
      {
        reason: "Customer asked for a refund above the automatic limit.",
        queue: "billing",
        priority: "high",
        message: "I'm passing you to our billing team, they usually reply within a few minutes.",
        summary:
          "Order {{ vars.order_id }}: customer wants a refund of {{ nodes.find_order.output.order.total }}.",
      },
    ],
  }),
);
