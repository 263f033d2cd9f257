import Type from "typebox";
import { markBuiltin } from "../builtin-marker";
import { defineNode } from "../define-node";
import { SNAKE_CASE_PATTERN, expression, template } from "../fields";

export const askNode = markBuiltin(
  defineNode({
    type: "ask",
    version: 1,
    meta: {
      title: "Ask",
      category: "human",
      icon: "message-circle-question-mark",
      description: "Asks the customer a question and waits for the answer.",
      docs: [
        "An **Ask** node sends `prompt`, then pauses the run until the customer writes back; nothing is held in " +
          "memory while it waits. The answer is stored in `vars.<variable>` and in the output as `answer`.",
        "With `choices` the customer sees buttons. A CEL `validation` (which sees `answer`) can refuse an answer, " +
          "in which case `retry_prompt` is sent and the node waits again. If nobody answers within " +
          "`timeout_minutes`, the node takes its `error` port.",
        "With `entity` (a name declared under the flow's `entities`), the answer must contain that entity and the " +
          'variable receives the value found ("it\'s ao-10489" stores AO-10489); an answer without it is asked ' +
          'again with `retry_prompt` (or a default that says what is missing), so "yes" is never taken as an ' +
          "order number. On its first visit in a run the question is skipped when the answer is already known: " +
          "found in the customer's messages of this run (`entities.<entity>`) or kept in the conversation's memory " +
          "under the same name (`conversation.<entity>`). A later visit (a loop back after a failed lookup) always asks.",
      ].join("\n\n"),
      tags: ["question", "wait", "input", "form"],
    },
    config: Type.Object(
      {
        prompt: template({
          title: "Question",
          description: "The question sent to the customer.",
          nonBlank: true,
        }),
        variable: Type.String({
          pattern: SNAKE_CASE_PATTERN,
          maxLength: 64,
          title: "Save answer as",
          description: "Variable (snake_case) that receives the answer; later nodes read it as vars.<name>.",
        }),
        choices: Type.Optional(
          Type.Array(
            Type.String({
              minLength: 1,
              maxLength: 80,
              title: "Choice",
              description: "An answer offered as a button.",
            }),
            {
              maxItems: 10,
              uniqueItems: true,
              title: "Choices",
              description: "Answers offered as buttons; the customer may still type something else.",
            },
          ),
        ),
        validation: Type.Optional(
          expression({
            title: "Validation",
            description:
              "CEL expression over answer that must be true to accept it, e.g. answer.contains('@').",
          }),
        ),
        retry_prompt: Type.Optional(
          template({
            title: "Retry message",
            description: "Sent when the answer fails validation; the node asks again.",
          }),
        ),
        entity: Type.Optional(
          Type.String({
            pattern: SNAKE_CASE_PATTERN,
            maxLength: 64,
            title: "Expected entity",
            description:
              "An entity declared under the flow's entities: the answer must contain it, and the question is skipped when it is already known.",
          }),
        ),
        timeout_minutes: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 525600,
            default: 1440,
            title: "Timeout (minutes)",
            description: "How long to wait for an answer before taking the error port.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    ports: { inputs: ["in"], outputs: ["out", "error"] },
    // The error port is taken when nobody answers in time, so on the canvas it reads as the timeout.
    branches: { portLabels: { out: "answer", error: "timeout" } },
    waits: true,
    pure: true,
    examples: [
      {
        prompt: "Could you tell me your order number? It starts with # and is in your confirmation email.",
        variable: "order_id",
        validation: "answer.matches('^#?[0-9]{5,10}$')",
        retry_prompt: "Hmm, that doesn't look like an order number. It's 5 to 10 digits, like #10423.",
        timeout_minutes: 60,
      },
      {
        prompt: "What's your order number? It looks like AO-10492.",
        variable: "order_id",
        entity: "order_id",
        retry_prompt: "That doesn't look like an order number. It looks like AO-10492.",
      },
      {
        prompt: "Did that solve your problem?",
        variable: "solved",
        choices: ["Yes", "No"],
      },
    ],
  }),
);
