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

/** Feature ids (-1: not in the vocabulary) and raw counts of one bag, group after group. */
interface ResolvedBag {
  readonly ids: Int32Array;
  readonly counts: Float64Array;
  /** Where each group's entries end, in GROUPS order. */
  readonly groupEnds: readonly number[];
}

/** A fitted vectorizer and the training documents' vectors (`vectorize` of each, computed during the fit). */
export interface FittedVectorizer {
  readonly vectorizer: Vectorizer;
  readonly documentVectors: readonly SparseVector[];
}

/**
 * `dfUnitOf(i)` says which unit document `i` belongs to; document frequency counts distinct units (a caller
 * can pass a document's intent, so a word all of one intent's examples share is not "common").
 */
export function fitVectorizer(
  documents: readonly FeatureBag[],
  groupWeights: GroupWeights,
  dfUnitOf: (documentIndex: number) => number = (i) => i,
): Vectorizer {
  // Visit documents unit by unit, so "seen in this unit already" is one comparison per feature.
  const order = documents.map((_, d) => d).sort((a, b) => dfUnitOf(a) - dfUnitOf(b) || a - b);
  return fit(
    order.length,
    (k) => documents[order[k]!]!,
    (k) => dfUnitOf(order[k]!),
    groupWeights,
  ).vectorizer;
}

/**
 * Fits on `count` documents, each its own df unit, made one at a time by `bagOf` and vectorized in the same
 * pass. The bags can be dropped as soon as they are counted: training keeps 900 documents' ids and counts in
 * typed arrays instead of 900 Maps of n-gram strings, which the garbage collector copied and copied again.
 */
export function fitAndVectorize(
  count: number,
  bagOf: (documentIndex: number) => FeatureBag,
  groupWeights: GroupWeights,
): FittedVectorizer {
  return fit(count, bagOf, (i) => i, groupWeights);
}

function fit(
  count: number,
  bagOf: (k: number) => FeatureBag,
  unitOf: (k: number) => number,
  groupWeights: GroupWeights,
): FittedVectorizer {
  // One vocabulary per group: no prefixed key strings to build on every lookup.
  const vocab = {
    words: new Map<string, number>(),
    pairs: new Map<string, number>(),
    chars: new Map<string, number>(),
  };
  const df: number[] = [];
  const lastUnit: number[] = [];
  const resolved: ResolvedBag[] = [];
  let units = 0;
  let previousUnit: number | undefined;
  for (let k = 0; k < count; k += 1) {
    const unit = unitOf(k);
    if (unit !== previousUnit) {
      units += 1;
      previousUnit = unit;
    }
    const bag = bagOf(k);
    const size = bag.words.size + bag.pairs.size + bag.chars.size;
    const ids = new Int32Array(size);
    const counts = new Float64Array(size);
    const groupEnds: number[] = [];
    let at = 0;
    for (const group of GROUPS) {
      const map = vocab[group];
      const bagGroup = bag[group];
      for (const key of bagGroup.keys()) {
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
        ids[at] = id;
        counts[at] = bagGroup.get(key)!;
        at += 1;
      }
      groupEnds.push(at);
    }
    resolved.push({ ids, counts, groupEnds });
  }
  const idf = Float64Array.from(df, (n) => Math.log((1 + units) / (1 + n)) + 1);
  // A feature no example has is the strongest sign that the message is about something else: it counts in the
  // message's length (lowering every cosine) with the rarest possible weight.
  const unseenIdf = Math.log(1 + units) + 1;

  function weigh({ ids, counts, groupEnds }: ResolvedBag): SparseVector {
    const outIds = new Int32Array(ids.length);
    const values = new Float64Array(ids.length);
    let used = 0;
    let total = 0;
    for (let g = 0; g < GROUPS.length; g += 1) {
      const weight = groupWeights[GROUPS[g]!];
      const begin = g === 0 ? 0 : groupEnds[g - 1]!;
      const end = groupEnds[g]!;
      if (weight === 0 || end === begin) continue;
      const start = used;
      let norm = 0;
      for (let e = begin; e < end; e += 1) {
        const id = ids[e]!;
        const count = counts[e]!;
        // Sublinear tf; a fractional count (a word matched through its vector, word-expansion.ts) counts as is.
        const tf = count >= 1 ? 1 + Math.log(count) : count;
        const value = tf * (id < 0 ? unseenIdf : idf[id]!);
        norm += value * value;
        if (id >= 0) {
          outIds[used] = id;
          values[used] = value;
          used += 1;
        }
      }
      const scale = weight / Math.sqrt(norm);
      for (let i = start; i < used; i += 1) values[i]! *= scale;
      total += weight * weight;
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let i = 0; i < used; i += 1) values[i]! *= scale;
    return used === ids.length
      ? { ids: outIds, values }
      : { ids: outIds.slice(0, used), values: values.slice(0, used) };
  }

  /** A message's bag against the vocabulary (Map keys, then `get`: an entry pair would allocate per feature). */
  function resolve(bag: FeatureBag): ResolvedBag {
    const size = bag.words.size + bag.pairs.size + bag.chars.size;
    const ids = new Int32Array(size);
    const counts = new Float64Array(size);
    const groupEnds: number[] = [];
    let at = 0;
    for (const group of GROUPS) {
      const map = vocab[group];
      const bagGroup = bag[group];
      for (const key of bagGroup.keys()) {
        ids[at] = map.get(key) ?? -1;
        counts[at] = bagGroup.get(key)!;
        at += 1;
      }
      groupEnds.push(at);
    }
    return { ids, counts, groupEnds };
  }

  return {
    vectorizer: { featureCount: df.length, vectorize: (bag) => weigh(resolve(bag)) },
    documentVectors: resolved.map(weigh),
  };
}
