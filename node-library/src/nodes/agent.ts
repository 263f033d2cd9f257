import Type from "typebox";
import { IDENTIFIER_PATTERN } from "@flowdeck/schemas";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { template } from "../fields";

export const agentNode = markBuiltin(
  defineNode({
    type: "agent",
    version: 1,
    meta: {
      title: "Agent",
      category: "ai",
      icon: "bot",
      description: "Asks a language model to answer, classify or extract, optionally calling tool nodes.",
      docs: [
        "An **Agent** node sends `prompt_template` (with `system_prompt` and the last `memory_turns` messages of " +
          "the conversation) to a model and, when `send_reply` is on, streams the answer to the customer. " +
          "List tool nodes by name under `tools` to let the model call them (only those: a call to any other " +
          "name runs nothing and the model is told it was refused); give an `output_schema` to get a " +
          "structured answer in `output.data` instead of free text.",
        "A model answer runs at most `max_tool_calls_per_answer` tool calls (default 8) and the step at most " +
          "`max_tool_calls_per_step` (default 32); calls past a cap are not run, the model is told, and " +
          "`output.tool_calls` counts what ran, was refused and was over the cap.",
        "`model` may be `auto`: the agent uses the model the most recent router step of this flow chose from " +
          "its `model_tiers` (`nodes.<router>.output.model`), and `gpt-4o-mini` (the agent's default) when no " +
          "router chose one. It may also be a template such as `{{ nodes.route.output.model }}`, rendered when " +
          "the step runs; a template that renders empty uses the default. `output.model_source` says which " +
          "(`config`, `router` or `default`).",
        "Without a model key Flowdeck runs agents on a built-in offline provider that answers with " +
          "`fallback_template`, so flows stay testable. The output is `{ text, data, model, model_source, usage, tool_calls }`.",
      ].join("\n\n"),
      tags: ["llm", "model", "gpt", "tools"],
    },
    config: Type.Object(
      {
        agent_type: Type.Optional(
          Type.String({
            maxLength: 64,
            examples: ["assistant", "processor", "classifier", "extractor"],
            title: "Agent type",
            description: "A free label for the agent's role, shown on the canvas and in analytics.",
          }),
        ),
        model: Type.Optional(
          template({
            default: "gpt-4o-mini",
            examples: ["gpt-4o-mini", "auto", "{{ nodes.route.output.model }}"],
            title: "Model",
            description:
              "Model name as the configured OpenAI-compatible provider knows it; `auto` uses the model the " +
              "latest router chose, and a template (e.g. over a router's output.model) is rendered per run.",
          }),
        ),
        system_prompt: Type.Optional(
          template({
            title: "System prompt",
            description: "Instructions that set the agent's role, tone and limits.",
          }),
        ),
        prompt_template: template({
          title: "Prompt",
          description: "The request sent to the model, usually including the customer's message.",
          nonBlank: true,
        }),
        temperature: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 2,
            default: 0.3,
            title: "Temperature",
            description: "Randomness of the answer: 0 is most predictable, 2 most varied.",
          }),
        ),
        max_tokens: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 32000,
            default: 512,
            title: "Max tokens",
            description: "Longest answer the model may write, in tokens (about ¾ of a word each).",
          }),
        ),
        tools: Type.Optional(
          Type.Array(
            Type.String({
              pattern: IDENTIFIER_PATTERN,
              maxLength: 64,
              title: "Tool node",
              description: "Name of a tool.* node in this workflow.",
            }),
            {
              default: [],
              uniqueItems: true,
              maxItems: 32,
              title: "Tools",
              description:
                "Tool nodes the model may call while answering, by node name. Only these are offered to the " +
                "model and only these run; without any, no tool runs whatever the model answers.",
            },
          ),
        ),
        max_tool_calls_per_answer: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 32,
            default: 8,
            title: "Tool calls per answer",
            description:
              "Most tool calls run from one model answer; the rest are not run and the model is told so.",
          }),
        ),
        max_tool_calls_per_step: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 128,
            default: 32,
            title: "Tool calls per step",
            description:
              "Most tool calls run in one agent step, over all its answers; later calls are not run.",
          }),
        ),
        output_schema: Type.Optional(
          Type.Unsafe<Record<string, unknown>>({
            type: "object",
            title: "Output schema",
            description: "JSON Schema of a structured answer; the parsed answer is in output.data.",
          }),
        ),
        stream: Type.Optional(
          Type.Boolean({
            default: true,
            title: "Stream",
            description: "Send the answer to the customer word by word as the model writes it.",
          }),
        ),
        memory_turns: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 100,
            default: 10,
            title: "Memory turns",
            description: "How many earlier messages of the conversation the model sees.",
          }),
        ),
        fallback_template: Type.Optional(
          template({
            title: "Offline answer",
            description: "What the built-in offline provider answers when no model key is configured.",
          }),
        ),
        send_reply: Type.Optional(
          Type.Boolean({
            default: true,
            title: "Send reply",
            description:
              "Send the answer to the customer; turn off for agents that only classify or extract.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    waits: false,
    examples: [
      {
        agent_type: "assistant",
        model: "gpt-4o-mini",
        system_prompt:
          "You are the support assistant of {{ tenant.name }}. Answer briefly and politely. " +
          "Only use facts from the knowledge base results.",
        prompt_template:
          "Customer: {{ input.message }}\n\nKnowledge base:\n" +
          "{% for r in nodes.search_kb.output.results %}- {{ r.title }}: {{ r.body }}\n{% endfor %}",
        temperature: 0.2,
        tools: ["find_order"],
        fallback_template: "Thanks for your message! A teammate will follow up shortly.",
      },
      {
        agent_type: "classifier",
        prompt_template: "Classify the sentiment of: {{ input.message }}",
        output_schema: {
          type: "object",
          properties: { sentiment: { type: "string", enum: ["positive", "neutral", "negative"] } },
          required: ["sentiment"],
        },
        send_reply: false,
        stream: false,
      },
    ],
  }),
);
