import type { ChatMessage } from "@flowdeck/node-library/runtime";

// About four characters per token for English text with OpenAI's tokenizers: good enough for an estimate that
// is labelled as one (offline answers, servers that send no usage), and needs no tokenizer download.
const CHARS_PER_TOKEN = 4;
// Each chat message costs a few tokens of framing (role, separators).
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + estimateTokens(message.content), 0);
}
