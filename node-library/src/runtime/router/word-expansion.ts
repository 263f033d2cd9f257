import { STOP_WORDS } from "./text-features";
import { stem } from "./light-stemmer";
import type { WordVectors } from "./word-vectors";

/**
 * Few examples never cover every word a customer uses: "reimbursement" where the examples say "refund". A
 * message word the examples never used (and that has a vector) is matched to the closest example word by
 * cosine of their word vectors; above `minCosine`, the example word's stem joins the message's word features
 * with the cosine as its count, so the SVM's weight for "refund" applies, damped. Looked-up words are cached.
 */

export interface WordExpander {
  /** Adds matched example words to `words` (stem → count) for the unseen words among `tokens` (a message's). */
  expand(tokens: readonly string[], words: Map<string, number>): void;
}

const CACHE_LIMIT = 5_000;

export function fitWordExpander(
  vectors: WordVectors,
  /** The training texts, tokenized (`tokenize` of text-features.ts). */
  trainingTokens: readonly (readonly string[])[],
  minCosine: number,
): WordExpander {
  const dims = vectors.dimensions;
  const known = new Set<string>();
  const vocabulary: string[] = [];
  const indices: number[] = [];
  for (const tokens of trainingTokens) {
    for (const token of tokens) {
      if (known.has(token)) continue;
      known.add(token);
      const index = vectors.indexOf(token);
      if (STOP_WORDS.has(token) || index < 0) continue;
      vocabulary.push(token);
      indices.push(index);
    }
  }
  const knownStems = new Set([...known].map(stem));
  const matrix = new Float32Array(vocabulary.length * dims);
  const scratch = new Float64Array(dims);
  function unitVector(index: number, into: Float64Array): void {
    into.fill(0);
    vectors.addTo(into, index, 1);
    let norm = 0;
    for (let d = 0; d < dims; d += 1) norm += into[d]! * into[d]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d += 1) into[d]! *= scale;
  }
  indices.forEach((index, v) => {
    unitVector(index, scratch);
    for (let d = 0; d < dims; d += 1) matrix[v * dims + d] = scratch[d]!;
  });
  const cache = new Map<string, readonly [string, number] | null>();

  function nearest(token: string): readonly [string, number] | null {
    const cached = cache.get(token);
    if (cached !== undefined) return cached;
    const index = vectors.indexOf(token);
    let best: readonly [string, number] | null = null;
    if (index >= 0) {
      const query = new Float64Array(dims);
      unitVector(index, query);
      let bestCos = minCosine;
      let bestAt = -1;
      for (let v = 0; v < vocabulary.length; v += 1) {
        let dot = 0;
        const at = v * dims;
        for (let d = 0; d < dims; d += 1) dot += matrix[at + d]! * query[d]!;
        if (dot > bestCos) {
          bestCos = dot;
          bestAt = v;
        }
      }
      if (bestAt >= 0) best = [stem(vocabulary[bestAt]!), bestCos];
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(token, best);
    return best;
  }

  return {
    expand(tokens, words) {
      for (const token of tokens) {
        if (known.has(token) || STOP_WORDS.has(token) || knownStems.has(stem(token))) continue;
        const match = nearest(token);
        if (match) words.set(match[0], Math.max(words.get(match[0]) ?? 0, match[1]));
      }
    },
  };
}
