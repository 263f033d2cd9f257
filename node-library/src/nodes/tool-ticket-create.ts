import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { stringEnum, template } from "../fields";

export const toolTicketCreateNode = markBuiltin(
  defineNode({
    type: "tool.ticket_create",
    version: 1,
    meta: {
      title: "Create ticket",
      category: "tools",
      icon: "ticket",
      description: "Opens a support ticket for follow-up by your team.",
      docs: [
        "A **Create ticket** node opens a ticket in your workspace's helpdesk with `subject`, `description`, " +
          "`priority` and `category`, linked to the conversation. Use it when an issue needs work that cannot " +
          "happen during the chat, such as a damaged delivery or a bug report.",
        "The output is `{ ticket_id, created }`; tell the customer the ticket number in the next reply. Retries " +
          "never open a second ticket for the same run step.",
      ].join("\n\n"),
      tags: ["helpdesk", "complaint", "follow-up"],
    },
    config: Type.Object(
      {
        subject: template({
          maxLength: 1000,
          title: "Subject",
          description: "One-line summary of the issue.",
          nonBlank: true,
        }),
        description: template({
          title: "Description",
          description: "Details of the issue for the team.",
          nonBlank: true,
        }),
        priority: Type.Optional(
          stringEnum(["low", "medium", "high", "urgent"], {
            default: "medium",
            title: "Priority",
            description: "How soon the team should look at it.",
          }),
        ),
        category: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            title: "Category",
            description: "Helpdesk category, e.g. shipping or technical.",
          }),
        ),
        customer_email: Type.Optional(
          template({ maxLength: 500, title: "Customer email", description: "Where the team sends updates." }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        subject: "Damaged item in order {{ vars.order_id }}",
        description: "Customer reports: {{ input.message }}\n\nConversation: {{ conversation.id }}",
        priority: "high",
        category: "shipping",
        customer_email: "{{ vars.email }}",
      },
    ],
  }),
);
