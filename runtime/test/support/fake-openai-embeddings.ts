/**
 * The fake OpenAI server's POST /v1/embeddings (fake-openai-server.ts). By default a text's vector is a
 * deterministic hashed bag of its lowercase words (64 dimensions, unit length), so equal wording gives equal
 * vectors; a test that needs meaning supplies its own embedder (`server.onEmbed`).
 */

export type FakeEmbedder = (text: string, model: string) => readonly number[];

export interface FakeEmbeddingRequest {
  readonly model: string;
  readonly input: readonly string[];
}

const DIMENSIONS = 64;

export function hashedEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i += 1) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    vector[(h >>> 0) % DIMENSIONS]! += 1;
  }
  const norm = Math.sqrt(vector.reduce((n, v) => n + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** The request as recorded, or an error message for a body the real API would refuse. */
export function readEmbeddingRequest(body: Record<string, unknown>): FakeEmbeddingRequest | string {
  const { model, input } = body;
  if (typeof model !== "string" || !model) return "model is required.";
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === "string")) {
    return "input must be a string or a non-empty array of strings.";
  }
  return { model, input: texts as string[] };
}

export function embeddingBody(request: FakeEmbeddingRequest, embedder: FakeEmbedder): unknown {
  const tokens = request.input.reduce((n, text) => n + Math.ceil(text.length / 4), 0);
  return {
    object: "list",
    model: request.model,
    data: request.input.map((text, index) => ({
      object: "embedding",
      index,
      embedding: [...embedder(text, request.model)],
    })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
