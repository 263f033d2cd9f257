import type { ChatMessage } from "../context";

/**
 * What an LLM call would have cost in tokens, without a tokenizer (the router must stay pure and offline).
 * English text averages about four characters per token with OpenAI's BPE tokenizers; chat formatting adds
 * about four tokens per message and three to prime the reply (OpenAI's published counting recipe). The
 * estimate is within roughly ±20% for English prose, which is what a "tokens saved" counter needs.
 */

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING_TOKENS = 3;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Prompt tokens of `messages` plus the expected completion. */
export function estimateCallTokens(messages: readonly ChatMessage[], completionTokens: number): number {
  let prompt = REPLY_PRIMING_TOKENS;
  for (const m of messages) prompt += TOKENS_PER_MESSAGE + estimateTokens(m.content);
  return prompt + completionTokens;
}
