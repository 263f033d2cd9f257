import type { ChatMessage, ModelRequest, ToolSpec } from "@flowdeck/node-library/runtime";
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { ModelError } from "./model-errors";

// Reasoning models refuse `max_tokens` and any temperature but the default; they take `max_completion_tokens`.
const REASONING_MODEL = /^(o\d|gpt-5)(\b|-)/;

export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model);
}

/**
 * OpenAI's strict structured output accepts a subset of JSON Schema: every object closes its properties
 * (`additionalProperties: false`) and requires all of them. A schema outside that subset is sent with
 * `strict: false` instead of being refused with a 400, since workflow authors write plain JSON Schema.
 */
export function isStrictCompatible(schema: unknown): boolean {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return true;
  const node = schema as Record<string, unknown>;
  const properties = isRecord(node.properties) ? node.properties : undefined;
  if (node.type === "object" || properties) {
    if (node.additionalProperties !== false) return false;
    const required = Array.isArray(node.required) ? node.required : [];
    if (!Object.keys(properties ?? {}).every((key) => required.includes(key))) return false;
  }
  const children: unknown[] = [
    ...Object.values(properties ?? {}),
    ...(Array.isArray(node.items) ? node.items : [node.items]),
    ...(Array.isArray(node.prefixItems) ? node.prefixItems : []),
    ...["anyOf", "oneOf", "allOf"].flatMap((key) => (Array.isArray(node[key]) ? node[key] : [])),
    ...["$defs", "definitions"].flatMap((key) => (isRecord(node[key]) ? Object.values(node[key]) : [])),
  ];
  return children.every(isStrictCompatible);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function toMessageParam(message: ChatMessage, index: number): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return { role: "user", content: message.content };
    case "assistant":
      if (message.toolCalls && message.toolCalls.length > 0) {
        return {
          role: "assistant",
          // The API wants null, not "", beside tool calls on some compatible servers.
          content: message.content === "" ? null : message.content,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function" as const,
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        };
      }
      return { role: "assistant", content: message.content };
    case "tool":
      if (!message.toolCallId) {
        throw new ModelError("FD225", `Message ${index} has role "tool" but no toolCallId.`);
      }
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  }
}

function toTool(spec: ToolSpec): ChatCompletionTool {
  return {
    type: "function",
    function: {
      name: spec.name,
      description: spec.description,
      parameters: spec.parameters as Record<string, unknown>,
    },
  };
}

/** The chat-completions body for a `ModelRequest`, without the `stream` fields (the provider adds them). */
export function toChatCompletionParams(
  request: ModelRequest,
): Omit<ChatCompletionCreateParamsBase, "stream" | "stream_options"> {
  const reasoning = isReasoningModel(request.model);
  return {
    model: request.model,
    messages: request.messages.map(toMessageParam),
    ...(request.temperature !== undefined && !reasoning ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined
      ? reasoning
        ? { max_completion_tokens: request.maxTokens }
        : { max_tokens: request.maxTokens }
      : {}),
    ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map(toTool) } : {}),
    ...(request.responseSchema
      ? {
          response_format: {
            type: "json_schema" as const,
            json_schema: {
              name: request.responseSchema.name,
              schema: request.responseSchema.schema as Record<string, unknown>,
              strict: isStrictCompatible(request.responseSchema.schema),
            },
          },
        }
      : {}),
  };
}
