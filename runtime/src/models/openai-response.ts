import type { ToolCall } from "@flowdeck/node-library/runtime";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { ModelError } from "./model-errors";

/** A tool call as the wire carries it: arguments still JSON text. */
export interface RawToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** One answer, streamed or not, before its JSON parts are parsed. */
export interface RawAnswer {
  readonly text: string;
  readonly refusal: string | undefined;
  readonly toolCalls: readonly RawToolCall[];
  readonly finishReason: string | undefined;
  readonly model: string | undefined;
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number } | undefined;
  readonly requestId: string | undefined;
}

export function rawAnswerFromCompletion(completion: ChatCompletion, requestId?: string): RawAnswer {
  const choice = completion.choices?.[0];
  if (!choice) throw new ModelError("FD222", "The model service answered without any choice.", { requestId });
  const toolCalls: RawToolCall[] = [];
  for (const call of choice.message.tool_calls ?? []) {
    // Custom (free-text) tools are never offered, so only function calls can be answers to our tools.
    if (call.type === "function") {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  return {
    text: choice.message.content ?? "",
    refusal: choice.message.refusal ?? undefined,
    toolCalls,
    finishReason: choice.finish_reason ?? undefined,
    model: completion.model,
    usage: completion.usage
      ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
      : undefined,
    requestId,
  };
}

/**
 * Builds an answer from streamed chunks. Tool calls arrive as fragments keyed by `index`: the first carries
 * id and name, later ones append to the arguments text.
 */
export class StreamedAnswer {
  private text = "";
  private refusal = "";
  private finishReason: string | undefined;
  private model: string | undefined;
  private usage: RawAnswer["usage"];
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  /** Adds one chunk; returns the new text to stream to the listener ("" when the chunk had none). */
  add(chunk: ChatCompletionChunk): string {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      this.usage = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
      };
    }
    let added = "";
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (delta?.content) {
        this.text += delta.content;
        added += delta.content;
      }
      if (delta?.refusal) this.refusal += delta.refusal;
      for (const fragment of delta?.tool_calls ?? []) {
        const call = this.calls.get(fragment.index) ?? { id: "", name: "", arguments: "" };
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name += fragment.function.name;
        if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
        this.calls.set(fragment.index, call);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return added;
  }

  result(requestId?: string): RawAnswer {
    return {
      text: this.text,
      refusal: this.refusal || undefined,
      toolCalls: [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
      finishReason: this.finishReason,
      model: this.model,
      usage: this.usage,
      requestId,
    };
  }
}

/** Parses a tool call's arguments; anything but a JSON object is the model's mistake, reported as FD222. */
export function parseToolCall(call: RawToolCall, context: { provider: string; model: string }): ToolCall {
  if (!call.name) {
    throw new ModelError("FD222", "The model asked for a tool call without a tool name.", context);
  }
  // Some models send "" for a tool that takes no arguments.
  const text = call.arguments.trim() === "" ? "{}" : call.arguments;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelError(
      "FD222",
      `The model called tool "${call.name}" with arguments that are not valid JSON (${reason}): ${preview(text)}`,
      context,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ModelError(
      "FD222",
      `The model called tool "${call.name}" with arguments that are not a JSON object: ${preview(text)}`,
      context,
    );
  }
  return { id: call.id, name: call.name, arguments: parsed as Record<string, unknown> };
}

/** The structured-output value of a final answer. */
export function parseStructuredOutput(
  answer: RawAnswer,
  context: { provider: string; model: string },
): unknown {
  if (answer.refusal) {
    throw new ModelError(
      "FD222",
      `The model refused to answer in the requested format: ${preview(answer.refusal)}`,
      context,
    );
  }
  try {
    return JSON.parse(answer.text);
  } catch {
    const cut = answer.finishReason === "length" ? " It was cut off at max_tokens." : "";
    throw new ModelError(
      "FD222",
      `The model's structured output is not valid JSON.${cut} Text: ${preview(answer.text)}`,
      context,
    );
  }
}

function preview(text: string): string {
  return text.length > 200 ? `${JSON.stringify(text.slice(0, 200))}…` : JSON.stringify(text);
}
