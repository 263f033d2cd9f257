import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { template } from "../fields";

export const toolLeadCaptureNode = markBuiltin(
  defineNode({
    type: "tool.lead_capture",
    version: 1,
    meta: {
      title: "Capture lead",
      category: "tools",
      icon: "user-plus",
      description: "Saves a sales lead with the contact details gathered in the conversation.",
      docs: [
        "A **Capture lead** node creates or updates a lead in your workspace's CRM, keyed by `email`. Collect " +
          "the details with **Ask** nodes first and pass them in as templates such as `{{ vars.company }}`.",
        "The output is `{ lead_id, created }`; `created` is false when a lead with that email already existed " +
          "and was updated instead.",
      ].join("\n\n"),
      tags: ["crm", "sales", "contact"],
    },
    config: Type.Object(
      {
        email: template({
          maxLength: 500,
          title: "Email",
          description: "The lead's email address; identifies the lead.",
          nonBlank: true,
        }),
        name: Type.Optional(
          template({ maxLength: 500, title: "Name", description: "The lead's full name." }),
        ),
        company: Type.Optional(
          template({ maxLength: 500, title: "Company", description: "Company the lead works for." }),
        ),
        phone: Type.Optional(
          template({
            maxLength: 500,
            title: "Phone",
            description: "Phone number, ideally with country code.",
          }),
        ),
        interest: Type.Optional(
          template({ title: "Interest", description: "Product or plan the lead asked about." }),
        ),
        source: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            default: "chat",
            title: "Source",
            description: "Where the lead came from, for sales reports.",
          }),
        ),
        notes: Type.Optional(template({ title: "Notes", description: "Anything else sales should know." })),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        email: "{{ vars.email }}",
        name: "{{ vars.full_name }}",
        company: "{{ vars.company }}",
        interest: "Enterprise plan",
        source: "pricing_chat",
        notes: "Asked about SSO and a 200-seat rollout: {{ input.message }}",
      },
    ],
  }),
);
