import type { ModelGateway, TokenUsage } from "../context";
import { canonicalText, hash53 } from "./classifier-cache";
import type { IntentSpec } from "./intent-classifier";

/**
 * The router's middle tier, as semantic routers do it: when the flow names an `embedding_model`, the intents'
 * examples (and descriptions) are embedded once through the OpenAI-compatible embeddings API and cached per
 * tenant, model and intents; a message the local tier is unsure of costs one more embedding call (a few
 * dozen tokens at embedding prices, a small fraction of an LLM classification's ~1–4k tokens) and goes to the
 * intent of its most similar example.
 *
 * Its confidence is a softmax over the intents' best cosine similarities at temperature 0.05: unlike the
 * local tier's, it is not fitted (similarity scales differ between embedding models), so it only says how
 * clearly one intent stands out. At or above the router's threshold the tier decides; below it the LLM tier,
 * when configured, has the last word.
 */

const CACHE_CAPACITY = 128;
const TEMPERATURE = 0.05;
/** One request embeds at most this many texts (OpenAI accepts 2,048 inputs per request). */
const BATCH_SIZE = 512;

interface IntentVectors {
  readonly vectors: readonly Float64Array[];
  readonly labels: readonly number[];
  readonly usage: TokenUsage;
}

export interface EmbeddingClassification {
  readonly ranked: readonly { readonly intent: string; readonly similarity: number }[];
  readonly confidence: number;
  /** What this step paid: the message, plus the examples when they were not cached yet. */
  readonly usage: TokenUsage;
  readonly model: string;
}

// Promise values, so concurrent steps of one tenant share a single embedding of the examples.
const cache = new Map<string, { readonly text: string; readonly value: Promise<IntentVectors> }>();

function unit(vector: readonly number[]): Float64Array {
  const out = Float64Array.from(vector);
  let norm = 0;
  for (const v of out) norm += v * v;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i += 1) out[i]! *= scale;
  return out;
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0 };

async function embedIntents(
  models: ModelGateway,
  model: string,
  intents: readonly IntentSpec[],
  signal: AbortSignal,
): Promise<IntentVectors> {
  const texts: string[] = [];
  const labels: number[] = [];
  intents.forEach((intent, i) => {
    for (const example of intent.examples) {
      texts.push(example);
      labels.push(i);
    }
    if (intent.description) {
      texts.push(`${intent.name.replace(/_/g, " ")}: ${intent.description}`);
      labels.push(i);
    }
  });
  const vectors: Float64Array[] = [];
  let usage = NO_USAGE;
  for (let start = 0; start < texts.length; start += BATCH_SIZE) {
    const response = await models.embed!(
      { model, input: texts.slice(start, start + BATCH_SIZE) },
      { signal },
    );
    for (const vector of response.vectors) vectors.push(unit(vector));
    usage = addUsage(usage, response.usage);
  }
  return { vectors, labels, usage };
}

/** Embedded examples for this tenant, model and intents: from the cache, or embedded now (and paid now). */
async function intentVectors(
  models: ModelGateway,
  model: string,
  tenantId: string,
  intents: readonly IntentSpec[],
  signal: AbortSignal,
): Promise<{ readonly vectors: IntentVectors; readonly fresh: boolean }> {
  const text = `${tenantId}\u0000${model}\u0000${canonicalText(intents)}`;
  const key = hash53(text);
  const known = cache.get(key);
  if (known && known.text === text) {
    cache.delete(key);
    cache.set(key, known);
    return { vectors: await known.value, fresh: false };
  }
  const value = embedIntents(models, model, intents, signal);
  cache.set(key, { text, value });
  if (cache.size > CACHE_CAPACITY) cache.delete(cache.keys().next().value!);
  // A failed or cancelled embedding is not kept: the next message tries again.
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return { vectors: await value, fresh: true };
}

/** Needs `models.embed`; throws what the provider throws (the router treats that as "not decided"). */
export async function classifyByEmbeddings(
  models: ModelGateway,
  model: string,
  tenantId: string,
  intents: readonly IntentSpec[],
  message: string,
  signal: AbortSignal,
): Promise<EmbeddingClassification> {
  const { vectors, fresh } = await intentVectors(models, model, tenantId, intents, signal);
  const response = await models.embed!({ model, input: [message] }, { signal });
  const query = unit(response.vectors[0] ?? []);
  const best = new Float64Array(intents.length).fill(-1);
  vectors.vectors.forEach((v, e) => {
    let dot = 0;
    for (let d = 0; d < Math.min(v.length, query.length); d += 1) dot += v[d]! * query[d]!;
    const label = vectors.labels[e]!;
    if (dot > best[label]!) best[label] = dot;
  });
  const ranked = intents
    .map((intent, i) => ({ intent: intent.name, similarity: best[i]! }))
    .sort((a, b) => b.similarity - a.similarity);
  const top = ranked[0]!.similarity;
  let sum = 0;
  for (const r of ranked) sum += Math.exp((r.similarity - top) / TEMPERATURE);
  return {
    ranked,
    confidence: 1 / sum,
    usage: fresh ? addUsage(vectors.usage, response.usage) : response.usage,
    model: response.model,
  };
}
