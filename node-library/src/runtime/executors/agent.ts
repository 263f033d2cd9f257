import type { agentNode } from "../../nodes/agent";
import type { ChatMessage, ModelResponse, TokenUsage, ToolCall } from "../context";
import type { NodeExecutor } from "../executor";

/** Bounds a tool-calling conversation: a model that keeps asking for tools is cut off, not paid forever. */
const MAX_TOOL_ROUNDS = 5;
const DEFAULT_MODEL = "gpt-4o-mini";

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/**
 * An LLM step: system prompt, the last `memory_turns` of the conversation, then the rendered prompt. Tools are
 * other tool nodes of the flow, run as steps of their own when the model calls them. Without a model key the
 * offline provider answers with the rendered `fallback_template`, labelled as offline.
 */
export const agentExecutor: NodeExecutor<typeof agentNode> = async (ctx, config) => {
  const model = config.model ?? DEFAULT_MODEL;
  const prompt = await ctx.render(config.prompt_template);
  const system = config.system_prompt === undefined ? undefined : await ctx.render(config.system_prompt);
  const offlineText =
    config.fallback_template === undefined ? undefined : await ctx.render(config.fallback_template);
  const memory = config.memory_turns ?? 10;
  const history = memory === 0 ? [] : ctx.scope.conversation.history.slice(-memory);
  const messages: ChatMessage[] = [
    ...(system ? [{ role: "system" as const, content: system }] : []),
    ...history.map((turn) => ({
      role: turn.role === "customer" ? ("user" as const) : ("assistant" as const),
      content: turn.text,
    })),
    { role: "user", content: prompt },
  ];
  const tools = ctx.tools.describe(config.tools ?? []);
  const stream = config.stream ?? true;
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  let response: ModelResponse | undefined;
  const toolResults: Array<{ name: string; result: unknown }> = [];
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round += 1) {
    response = await ctx.models.complete(
      {
        model,
        messages,
        temperature: config.temperature ?? 0.3,
        maxTokens: config.max_tokens ?? 512,
        ...(tools.length > 0 && round < MAX_TOOL_ROUNDS ? { tools } : {}),
        ...(config.output_schema ? { responseSchema: { name: "answer", schema: config.output_schema } } : {}),
        ...(offlineText === undefined ? {} : { offlineText }),
      },
      {
        signal: ctx.signal,
        ...(stream ? { onToken: (text: string) => ctx.emit({ type: "token", text }) } : {}),
      },
    );
    usage = addUsage(usage, response.usage);
    if (response.toolCalls.length === 0) break;
    messages.push({ role: "assistant", content: response.text, toolCalls: response.toolCalls });
    for (const call of response.toolCalls) messages.push(await runTool(call));
  }

  async function runTool(call: ToolCall): Promise<ChatMessage> {
    let result: unknown;
    try {
      result = await ctx.tools.invoke(call.name, call.arguments);
    } catch (error) {
      // The model hears about the failure and can apologise or try another way; the step trace keeps it too.
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    toolResults.push({ name: call.name, result });
    return { role: "tool", toolCallId: call.id, content: JSON.stringify(result) };
  }

  const final = response!;
  const send = config.send_reply ?? true;
  return {
    output: { text: final.text, data: final.data ?? null, model: final.model, offline: final.offline, usage },
    port: "out",
    ...(send && final.text ? { messages: [final.text] } : {}),
    usage,
    effect: !final.offline,
    details: { provider: final.provider, offline: final.offline, toolCalls: toolResults.map((t) => t.name) },
  };
};
