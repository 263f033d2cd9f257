import Type from "typebox";
import { NON_BLANK_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { SNAKE_CASE_PATTERN, stringEnum, template } from "../fields";

const intent = Type.Object(
  {
    name: Type.String({
      pattern: SNAKE_CASE_PATTERN,
      maxLength: 64,
      title: "Name",
      description: 'Intent name in snake_case; edges test it as output.route == "<name>".',
    }),
    description: Type.Optional(
      Type.String({
        maxLength: 500,
        title: "Description",
        description: "What customers want when they have this intent; helps the model decide.",
      }),
    ),
    examples: Type.Array(
      Type.String({
        // A blank example teaches the classifier nothing; refused like a missing one.
        pattern: NON_BLANK_PATTERN,
        maxLength: 500,
        title: "Example",
        description: "A message a customer with this intent might write.",
      }),
      {
        minItems: 1,
        maxItems: 200,
        title: "Examples",
        description: "Typical customer messages; the local classifier learns from them.",
      },
    ),
  },
  { additionalProperties: false, title: "Intent", description: "One thing a customer may want." },
);

const modelTier = Type.Object(
  {
    model: Type.String({
      minLength: 1,
      maxLength: 200,
      title: "Model",
      description: "Model name as the configured provider knows it.",
    }),
    tier: stringEnum(["small", "medium", "large"], {
      title: "Tier",
      description: "Size class; cheaper tiers are tried first.",
    }),
    max_message_chars: Type.Optional(
      Type.Integer({
        minimum: 1,
        title: "Max message length",
        description: "Longest customer message, in characters, this tier is used for.",
      }),
    ),
    cost_per_1k_tokens_usd: Type.Optional(
      Type.Number({
        minimum: 0,
        title: "Cost per 1k tokens (USD)",
        description: "Price used to pick the cheapest suitable tier and to report spend.",
      }),
    ),
  },
  { additionalProperties: false, title: "Model tier", description: "A model the router may escalate to." },
);

export const routerNode = markBuiltin(
  defineNode({
    type: "router",
    version: 1,
    meta: {
      title: "Router",
      category: "ai",
      icon: "split",
      description: "Recognises what the customer wants and routes the conversation by intent.",
      docs: [
        "A **Router** node classifies `message` into one of its `intents`. A local classifier trained on the " +
          "intents' examples answers first; only when its confidence is below `confidence_threshold` and a " +
          "`model` is set does it ask a language model, so most messages cost nothing.",
        "The output is `{ route, confidence, tier, model }`. Draw one edge per intent with a condition such as " +
          '`output.route == "refund"`, plus an edge without a condition as the catch-all. When no intent fits, ' +
          "`route` is `fallback_intent`. With `model_tiers` the LLM step picks the cheapest tier that suits the " +
          "message length.",
        "An **Agent** with `model: auto` after this node calls the model the router chose in `output.model` " +
          "(or write `{{ nodes.<router>.output.model }}`). When the local classifier decides, the step records " +
          "the tokens the avoided model call would have used and what they would have cost (`savedUsd`, at the " +
          "configured price of `model`, or of gpt-4o-mini when none is set); run lists and analytics add it up.",
      ].join("\n\n"),
      tags: ["intent", "classifier", "routing", "nlu"],
    },
    config: Type.Object(
      {
        message: Type.Optional(
          template({
            default: "{{ input.message }}",
            title: "Message",
            description: "The text to classify; the message that started the run unless you change it.",
          }),
        ),
        intents: Type.Array(intent, {
          minItems: 1,
          maxItems: 200,
          title: "Intents",
          description: "The things customers may want, each with example messages.",
        }),
        confidence_threshold: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 1,
            default: 0.7,
            title: "Confidence threshold",
            description:
              "Below this confidence (a probability of being right) the local answer is not trusted and the " +
              "model is asked.",
          }),
        ),
        model: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 200,
            title: "Model",
            description:
              "Model asked when the local classifier is unsure; without it the router stays local.",
          }),
        ),
        embedding_model: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 200,
            title: "Embedding model",
            description:
              "Embedding model (e.g. text-embedding-3-small) asked before the model when the local classifier " +
              "is unsure: the intents' examples are embedded once, and each unsure message costs one small call.",
          }),
        ),
        fallback_intent: Type.Optional(
          Type.String({
            pattern: SNAKE_CASE_PATTERN,
            maxLength: 64,
            title: "Fallback intent",
            description: "Route used when the model answers that no intent fits.",
          }),
        ),
        low_confidence_route: Type.Optional(
          stringEnum(["best_intent", "fallback_intent"], {
            default: "best_intent",
            title: "When nobody is sure",
            description:
              "Route when the local answer is below the threshold and no model decided: the best-scoring " +
              "intent (marked unsure) or the fallback intent.",
          }),
        ),
        model_tiers: Type.Optional(
          Type.Array(modelTier, {
            maxItems: 10,
            title: "Model tiers",
            description: "Models of different size and price to choose from, cheapest suitable first.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    // One handle per intent (the seed's `output.route == '<intent>'` edges) and the catch-all as "fallback".
    branches: {
      perItem: {
        list: "intents",
        key: "name",
        port: "out",
        condition: "output.route == '{value}'",
        otherwise: "fallback",
      },
    },
    waits: false,
    examples: [
      {
        intents: [
          {
            name: "order_status",
            description: "Where an order is or when it arrives.",
            examples: ["Where is my order?", "Has my package shipped yet?", "When will my order arrive?"],
          },
          {
            name: "refund",
            description: "Money back for an order.",
            examples: ["I want a refund", "Can I get my money back?", "Please refund my last purchase"],
          },
          {
            name: "talk_to_human",
            examples: ["Let me talk to a person", "I need a real agent"],
          },
        ],
        confidence_threshold: 0.6,
        model: "gpt-4o-mini",
        fallback_intent: "general_question",
        model_tiers: [
          { model: "gpt-4o-mini", tier: "small", max_message_chars: 500, cost_per_1k_tokens_usd: 0.00015 },
          { model: "gpt-4o", tier: "large", cost_per_1k_tokens_usd: 0.0025 },
        ],
      },
    ],
  }),
);
