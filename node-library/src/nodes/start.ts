import Type from "typebox";
import { IDENTIFIER_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { stringEnum, template } from "../fields";

const runInput = Type.Object(
  {
    name: Type.String({
      pattern: IDENTIFIER_PATTERN,
      maxLength: 64,
      title: "Name",
      description: "How templates and conditions read the value: input.<name>.",
    }),
    type: Type.Optional(
      stringEnum(["string", "number", "boolean", "object"], {
        default: "string",
        title: "Type",
        description:
          "Kind of value the run expects; a test run's form and webhook payloads are checked against it.",
      }),
    ),
    required: Type.Optional(
      Type.Boolean({
        default: false,
        title: "Required",
        description: "Refuse to start the run when this value is missing.",
      }),
    ),
    description: Type.Optional(
      Type.String({
        maxLength: 500,
        title: "Description",
        description: "What the value means; shown in the test-run form and the API docs.",
      }),
    ),
  },
  {
    additionalProperties: false,
    title: "Run input",
    description: "One named value the run starts with.",
  },
);

export const startNode = markBuiltin(
  defineNode({
    type: "start",
    version: 1,
    meta: {
      title: "Start",
      category: "flow",
      icon: "play",
      description: "Where every run begins; declares the values the run starts with.",
      docs: [
        "Every workflow has exactly one **Start** node. A chat trigger starts a run with the customer's message " +
          "as `input.message`; webhooks and manual runs may pass further values, which you declare under `inputs` " +
          "so they are checked and offered in the test-run form.",
        "Set a `greeting` to send a first message when a conversation opens, before the customer has written " +
          "anything. The node's output is the run input, so later nodes can also read it as `nodes.start.output`.",
      ].join("\n\n"),
      tags: ["trigger", "entry"],
    },
    config: Type.Object(
      {
        inputs: Type.Optional(
          Type.Array(runInput, {
            default: [],
            maxItems: 50,
            title: "Inputs",
            description: "Values the run starts with, besides the customer's message.",
          }),
        ),
        greeting: Type.Optional(
          template({
            title: "Greeting",
            description: "Sent to the customer when a conversation opens, before their first message.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out"] },
    waits: false,
    pure: true,
    examples: [
      {
        inputs: [
          { name: "message", type: "string", required: true, description: "The customer's first message." },
          {
            name: "order_id",
            type: "string",
            description: "Order number when the chat starts from an order page.",
          },
        ],
        greeting: "Hi! I'm the {{ tenant.name }} assistant. How can I help you today?",
      },
      {},
    ],
  }),
);
