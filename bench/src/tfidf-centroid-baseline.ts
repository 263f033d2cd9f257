import type { IntentSpec } from "../../node-library/src/runtime/router/intent-classifier";

/**
 * The baseline the router's local tier must beat, measured in the same run: a plain TF-IDF nearest-centroid
 * classifier, as anyone would write it first. Lowercased word unigrams, raw counts × smoothed idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn), L2-normalised; each intent's centroid is the normalised mean
 * of its examples' vectors; the message goes to the centroid with the highest cosine.
 */

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

type Vector = Map<string, number>;

function normalise(vector: Vector): Vector {
  let norm = 0;
  for (const v of vector.values()) norm += v * v;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [k, v] of vector) vector.set(k, v * scale);
  return vector;
}

export function tfidfCentroidBaseline(intents: readonly IntentSpec[]): (text: string) => string {
  const documents = intents.flatMap((intent) => intent.examples.map((e) => words(e)));
  const df = new Map<string, number>();
  for (const doc of documents) for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = documents.length;
  const idf = (w: string) => Math.log((1 + n) / (1 + (df.get(w) ?? 0))) + 1;
  const vectorize = (tokens: readonly string[]): Vector => {
    const v: Vector = new Map();
    for (const w of tokens) if (df.has(w)) v.set(w, (v.get(w) ?? 0) + idf(w));
    return normalise(v);
  };
  const centroids = intents.map((intent) => {
    const sum: Vector = new Map();
    for (const example of intent.examples) {
      for (const [w, v] of vectorize(words(example))) sum.set(w, (sum.get(w) ?? 0) + v);
    }
    return normalise(sum);
  });
  return (text) => {
    const query = vectorize(words(text));
    let best = 0;
    let bestScore = -1;
    centroids.forEach((centroid, i) => {
      let dot = 0;
      for (const [w, v] of query) dot += v * (centroid.get(w) ?? 0);
      if (dot > bestScore) {
        bestScore = dot;
        best = i;
      }
    });
    return intents[best]!.name;
  };
}
