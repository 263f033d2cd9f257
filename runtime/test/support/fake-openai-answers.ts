import type { FakeReply, FakeRequest } from "./fake-openai-types";

/** OpenAI chat-completions bodies and stream chunks for a scripted reply (fake-openai-server.ts). */

export interface Answer {
  readonly id: string;
  readonly model: string;
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: ReadonlyArray<{ id: string; name: string; arguments: string }>;
  readonly finishReason: string;
  readonly usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export function buildAnswer(reply: FakeReply, request: FakeRequest): Answer {
  const content = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? null);
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${request.index}_${index}`,
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const promptChars = request.messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0);
  const answerChars =
    (content?.length ?? 0) +
    toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  const promptTokens = reply.usage?.promptTokens ?? Math.ceil(promptChars / 4) + 4 * request.messages.length;
  const completionTokens = reply.usage?.completionTokens ?? Math.max(1, Math.ceil(answerChars / 4));
  return {
    id: `chatcmpl-fake-${request.index}`,
    model: reply.model ?? request.model,
    content: content ?? (toolCalls.length > 0 || reply.refusal ? null : ""),
    refusal: reply.refusal ?? null,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

const CREATED = 1_700_000_000;

export function completionBody(answer: Answer): unknown {
  return {
    id: answer.id,
    object: "chat.completion",
    created: CREATED,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          refusal: answer.refusal,
          ...(answer.toolCalls.length > 0
            ? {
                tool_calls: answer.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        finish_reason: answer.finishReason,
        logprobs: null,
      },
    ],
    usage: answer.usage,
  };
}

export function streamChunks(answer: Answer, includeUsage: boolean): unknown[] {
  const base = { id: answer.id, object: "chat.completion.chunk", created: CREATED, model: answer.model };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  const chunks: unknown[] = [chunk({ role: "assistant", content: "" })];
  // Text of whitespace only is streamed too (one chunk), as real services do.
  const pieces = answer.content?.match(/\s*\S+\s*/g) ?? (answer.content ? [answer.content] : []);
  for (const piece of pieces) chunks.push(chunk({ content: piece }));
  if (answer.refusal) chunks.push(chunk({ refusal: answer.refusal }));
  answer.toolCalls.forEach((call, index) => {
    const start = { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
    chunks.push(chunk({ tool_calls: [start] }));
    // Split the arguments in three, as real services cut them anywhere, even inside a string.
    const third = Math.ceil(call.arguments.length / 3) || 1;
    for (let at = 0; at < call.arguments.length; at += third) {
      const fragment = call.arguments.slice(at, at + third);
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, answer.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: answer.usage });
  return chunks;
}

// ── requests and errors ─────────────────────────────────────────────────────────────────────────────────
