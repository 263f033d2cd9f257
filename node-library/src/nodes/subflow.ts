import Type from "typebox";
import { IDENTIFIER_PATTERN, WORKFLOW_NAME_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { map, template } from "../fields";

export const subflowNode = markBuiltin(
  defineNode({
    type: "subflow",
    version: 1,
    meta: {
      title: "Subflow",
      category: "flow",
      icon: "workflow",
      description: "Runs another workflow of this tenant and continues with its result.",
      docs: [
        "A **Subflow** node runs the workflow named `workflow` as a step, passing `input` (each value rendered " +
          "from a template) as its run input. Its output is what the subflow's **End** node returned.",
        "`version` pins a published version number; `latest` always uses the newest published version. Use " +
          "subflows to share steps such as identity checks between flows.",
      ].join("\n\n"),
      tags: ["call", "reuse", "nested"],
    },
    config: Type.Object(
      {
        workflow: Type.String({
          pattern: WORKFLOW_NAME_PATTERN,
          maxLength: 64,
          title: "Workflow",
          description: "Name of the workflow to run, in snake_case.",
        }),
        input: Type.Optional(
          map(template({ title: "Value", description: "Template rendered into this input value." }), {
            keyPattern: IDENTIFIER_PATTERN,
            title: "Input",
            description: "Run input of the subflow; it reads each value as input.<name>.",
          }),
        ),
        version: Type.Optional(
          Type.Union([Type.Literal("latest"), Type.Integer({ minimum: 1 })], {
            default: "latest",
            title: "Version",
            description: "Published version to run, or latest for the newest one.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        workflow: "order_management",
        input: { message: "{{ input.message }}", order_id: "{{ vars.order_id }}" },
        version: "latest",
      },
      { workflow: "lead_capture", version: 3 },
    ],
  }),
);
