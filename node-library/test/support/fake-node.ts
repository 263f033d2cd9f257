import Type from "typebox";
import { defineNode, template, type NodeDefinition } from "../../src/index";

/** A minimal valid third-party definition; tests spread it and break one field at a time. */
export function fakeNode(overrides: Partial<NodeDefinition> = {}): NodeDefinition {
  const base = defineNode({
    type: "acme.echo",
    version: 1,
    meta: {
      title: "Echo",
      category: "tools",
      icon: "repeat",
      description: "Repeats a text.",
      docs: "Repeats `text` back as `{ text }`.",
    },
    config: Type.Object(
      { text: template({ title: "Text", description: "What to repeat." }) },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [{ text: "{{ input.message }}" }],
  });
  return { ...base, ...overrides };
}
