import type { agentNode } from "../../nodes/agent";
import type { ChatMessage, ModelResponse, TokenUsage, ToolCall } from "../context";
import type { NodeExecutor } from "../executor";
import { resolveAgentModel } from "./agent-model";

/** Bounds a tool-calling conversation: a model that keeps asking for tools is cut off, not paid forever. */
const MAX_TOOL_ROUNDS = 5;
// Parallel tool calling rarely asks for more than a handful per answer; 8 leaves room for a real one and
// stops a runaway (one answer once asked for 2,000 tickets). 32 per step is 4 full answers of the 5 that
// may call tools.
const DEFAULT_TOOL_CALLS_PER_ANSWER = 8;
const DEFAULT_TOOL_CALLS_PER_STEP = 32;
/** The runtime's code for a tool call past a cap (runtime ENGINE_ERRORS); the model reads it in the answer. */
const OVER_CAP_CODE = "FD217";

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/**
 * An LLM step: system prompt, the last `memory_turns` of the conversation, then the rendered prompt. Tools are
 * the tool nodes the agent lists, run as steps of their own when the model calls them, within the caps. Without a model key the
 * offline provider answers with the rendered `fallback_template`, labelled as offline.
 */
export const agentExecutor: NodeExecutor<typeof agentNode> = async (ctx, config) => {
  const { model, source: modelSource } = await resolveAgentModel(ctx, config.model);
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
  const onToken = stream ? visibleTokens((text) => ctx.emit({ type: "token", text })) : undefined;
  const perAnswer = config.max_tool_calls_per_answer ?? DEFAULT_TOOL_CALLS_PER_ANSWER;
  const perStep = config.max_tool_calls_per_step ?? DEFAULT_TOOL_CALLS_PER_STEP;
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
  let response: ModelResponse | undefined;
  const ran: string[] = [];
  const refused: Array<{ name: string; code: string }> = [];
  let overLimit = 0;
  let attempted = 0;
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
        ...(onToken ? { onToken } : {}),
      },
    );
    usage = addUsage(usage, response.usage);
    // The last answer was asked for without tools: calls in it would run with no model to read their results.
    if (response.toolCalls.length === 0 || round === MAX_TOOL_ROUNDS) break;
    messages.push({ role: "assistant", content: response.text, toolCalls: response.toolCalls });
    // Every call gets an answer (the API requires one per call id), but only those within both caps run.
    for (const [index, call] of response.toolCalls.entries()) {
      if (index >= perAnswer || attempted >= perStep) {
        overLimit += 1;
        messages.push(answer(call, overCap(index >= perAnswer ? "answer" : "step")));
        continue;
      }
      attempted += 1;
      messages.push(answer(call, await runTool(call)));
    }
  }

  async function runTool(call: ToolCall): Promise<unknown> {
    try {
      const result = await ctx.tools.invoke(call.name, call.arguments);
      if (result.status === "completed") {
        ran.push(call.name);
        return result.output;
      }
      // Refused by the runtime (a tool this agent does not list, or its cap): nothing ran.
      if (result.code === OVER_CAP_CODE) overLimit += 1;
      else refused.push({ name: call.name, code: result.code });
      return { refused: true, code: result.code, error: result.message };
    } catch (error) {
      // The model hears about the failure and can apologise or try another way; the step trace keeps it too.
      ran.push(call.name);
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  function overCap(scope: "answer" | "step"): unknown {
    const cap =
      scope === "answer" ? `${String(perAnswer)} tool calls per answer` : `${String(perStep)} per step`;
    return { refused: true, code: OVER_CAP_CODE, error: `Not run: this agent runs at most ${cap}.` };
  }

  const final = response!;
  const send = config.send_reply ?? true;
  const toolCalls = { executed: ran.length, refused: refused.length, over_limit: overLimit };
  return {
    output: {
      text: final.text,
      data: final.data ?? null,
      model: final.model,
      model_source: modelSource,
      offline: final.offline,
      usage,
      tool_calls: toolCalls,
    },
    port: "out",
    // A blank answer goes too: the engine leaves it unsent and notes why on the step.
    ...(send ? { messages: [final.text] } : {}),
    usage,
    effect: !final.offline,
    details: {
      provider: final.provider,
      offline: final.offline,
      requestedModel: model,
      toolCalls: ran,
      ...(refused.length > 0 ? { refusedToolCalls: refused } : {}),
      ...(overLimit > 0 ? { toolCallsOverLimit: overLimit } : {}),
    },
  };
};

/**
 * Streamed text, passed on from its first visible character: whitespace before it is held back and sent with
 * it, so an answer of whitespace only streams nothing (a widget opens a bubble at the first token, and the
 * engine sends no blank message to fill it).
 */
function visibleTokens(emit: (text: string) => void): (text: string) => void {
  let held = "";
  let visible = false;
  return (text) => {
    if (visible) return emit(text);
    held += text;
    if (held.trim() === "") return;
    visible = true;
    emit(held);
    held = "";
  };
}

function answer(call: ToolCall, result: unknown): ChatMessage {
  return { role: "tool", toolCallId: call.id, content: JSON.stringify(result) };
}
