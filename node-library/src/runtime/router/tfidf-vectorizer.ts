import type { FeatureBag } from "./text-features";
import type { SparseVector } from "./sparse-index";

/**
 * TF-IDF over the three feature groups. Each group is normalised on its own and then weighted, so the many
 * character n-grams of a message cannot drown its few words, and the weights say how much each kind of
 * evidence counts. The result has unit length, so a dot product is a cosine.
 */

export interface GroupWeights {
  readonly words: number;
  readonly pairs: number;
  readonly chars: number;
}

const GROUPS = ["words", "pairs", "chars"] as const;

export interface Vectorizer {
  readonly featureCount: number;
  vectorize(bag: FeatureBag): SparseVector;
}

/**
 * `dfUnitOf(i)` says which unit document `i` belongs to; document frequency counts distinct units (the
 * classifier passes the intent, so a word all of one intent's examples share is not "common").
 */
export function fitVectorizer(
  documents: readonly FeatureBag[],
  groupWeights: GroupWeights,
  dfUnitOf: (documentIndex: number) => number = (i) => i,
): Vectorizer {
  // One vocabulary per group: no prefixed key strings to build on every lookup.
  const vocab = {
    words: new Map<string, number>(),
    pairs: new Map<string, number>(),
    chars: new Map<string, number>(),
  };
  const df: number[] = [];
  const lastUnit: number[] = [];
  // Visit documents unit by unit, so "seen in this unit already" is one comparison per feature.
  const order = documents.map((_, d) => d).sort((a, b) => dfUnitOf(a) - dfUnitOf(b) || a - b);
  let units = 0;
  let previousUnit: number | undefined;
  for (const d of order) {
    const unit = dfUnitOf(d);
    if (unit !== previousUnit) {
      units += 1;
      previousUnit = unit;
    }
    for (const group of GROUPS) {
      const map = vocab[group];
      for (const key of documents[d]![group].keys()) {
        let id = map.get(key);
        if (id === undefined) {
          id = df.length;
          map.set(key, id);
          df.push(0);
          lastUnit.push(-1);
        }
        if (lastUnit[id] !== unit) {
          lastUnit[id] = unit;
          df[id]! += 1;
        }
      }
    }
  }
  const idf = Float64Array.from(df, (n) => Math.log((1 + units) / (1 + n)) + 1);
  // A feature no example has is the strongest sign that the message is about something else: it counts in the
  // message's length (lowering every cosine) with the rarest possible weight.
  const unseenIdf = Math.log(1 + units) + 1;

  function vectorize(bag: FeatureBag): SparseVector {
    const ids: number[] = [];
    const values: number[] = [];
    let total = 0;
    for (const group of GROUPS) {
      const weight = groupWeights[group];
      if (weight === 0 || bag[group].size === 0) continue;
      const map = vocab[group];
      const start = ids.length;
      let norm = 0;
      for (const [key, count] of bag[group]) {
        const id = map.get(key);
        // Sublinear tf; a fractional count (a word matched through its vector, word-expansion.ts) counts as is.
        const tf = count >= 1 ? 1 + Math.log(count) : count;
        const value = tf * (id === undefined ? unseenIdf : idf[id]!);
        norm += value * value;
        if (id !== undefined) {
          ids.push(id);
          values.push(value);
        }
      }
      const scale = weight / Math.sqrt(norm);
      for (let i = start; i < values.length; i += 1) values[i]! *= scale;
      total += weight * weight;
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i += 1) out[i] = values[i]! * scale;
    return { ids: Int32Array.from(ids), values: out };
  }

  return { featureCount: df.length, vectorize };
}
