import type { ModelGateway, ModelRequest, ModelResponse } from "@flowdeck/node-library/runtime";
import { ModelError } from "./model-errors";
import { estimatePromptTokens, estimateTokens } from "./token-estimate";

export const OFFLINE_PROVIDER = "offline";
export const OFFLINE_MODEL = "offline";

const QUOTE_LIMIT_CHARS = 120;

/** What the offline provider says when the node gave no fallback text: fixed, labelled, deterministic. */
export function offlineAnswerText(request: ModelRequest): string {
  if (request.offlineText !== undefined) return request.offlineText;
  const lastUser = [...request.messages].reverse().find((message) => message.role === "user");
  const said = lastUser?.content.replace(/\s+/g, " ").trim() ?? "";
  if (!said) return "[offline] No AI model is configured, so this is a placeholder answer.";
  const quote = said.length > QUOTE_LIMIT_CHARS ? `${said.slice(0, QUOTE_LIMIT_CHARS)}…` : said;
  return `[offline] No AI model is configured, so this is a placeholder answer to: "${quote}"`;
}

/** Words with their trailing spaces, so the pieces concatenate back to the exact text. */
function wordPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/**
 * The built-in provider used when no model key is configured (DESIGN.md §6). It never touches the network,
 * answers the same way every time, never calls tools, gives `data: null` for structured output so callers
 * take their fallback path, and streams word by word so the streaming path runs offline too.
 */
export function createOfflineProvider(): ModelGateway {
  return {
    provider: OFFLINE_PROVIDER,
    offline: true,
    async complete(request, options): Promise<ModelResponse> {
      const cancelled = () =>
        new ModelError("FD227", "The offline model call was cancelled.", {
          provider: OFFLINE_PROVIDER,
          model: OFFLINE_MODEL,
        });
      if (options.signal.aborted) throw cancelled();
      const text = offlineAnswerText(request);
      if (options.onToken) {
        for (const piece of wordPieces(text)) {
          if (options.signal.aborted) throw cancelled();
          options.onToken(piece);
        }
      }
      return {
        text,
        ...(request.responseSchema ? { data: null } : {}),
        toolCalls: [],
        usage: {
          promptTokens: estimatePromptTokens(request.messages),
          completionTokens: estimateTokens(text),
          costUsd: 0,
        },
        model: OFFLINE_MODEL,
        provider: OFFLINE_PROVIDER,
        offline: true,
      };
    },
  };
}
