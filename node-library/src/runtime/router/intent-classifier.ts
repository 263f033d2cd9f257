import { confidenceFromScores } from "./confidence";
import { extractFeatures } from "./text-features";
import type { FeatureBag } from "./text-features";
import { buildIndex, dotAll, sparseFromMap } from "./sparse-index";
import type { SparseVector } from "./sparse-index";
import { fitVectorizer } from "./tfidf-vectorizer";
import type { GroupWeights } from "./tfidf-vectorizer";

/**
 * The router's local tier: a few-shot intent classifier trained from the intents' examples in the workflow
 * YAML. Pure TypeScript, no network, no model weights. A message is compared with every example (nearest
 * neighbour: one close paraphrase is strong evidence) and with every intent's centroid (the intent's
 * vocabulary as a whole: robust when no single example is close); a blend of both ranks the intents, and
 * `confidenceFromScores` turns the ranking into a probability of being right. The parameters were tuned on
 * BANKING77 training rows that the benchmark does not use as examples (bench/src/banking77-bench.ts).
 */

export interface IntentSpec {
  readonly name: string;
  readonly description?: string;
  readonly examples: readonly string[];
}

export interface IntentScore {
  readonly intent: string;
  /** Cosine-based similarity, 0..1; comparable between the intents of one classifier. */
  readonly score: number;
}

export interface Classification {
  /** Every intent, best first. */
  readonly ranked: readonly IntentScore[];
  /** Estimated probability, 0..1, that `ranked[0]` is the right intent. */
  readonly confidence: number;
}

export interface ClassifierParams {
  readonly groupWeights: GroupWeights;
  /** Share of the nearest-example similarity in an intent's score; the rest is the centroid similarity. */
  readonly neighbourShare: number;
  /** Weight of the description (with the intent's name as words) in the centroid, relative to one example. */
  readonly descriptionWeight: number;
}

// BANKING77 dev accuracy moved by less than half a point across neighbours 1–3, shares 0.2–0.5 and
// description weights 0.3–1, so these sit in the middle of a flat region rather than on a spike.
export const DEFAULT_CLASSIFIER_PARAMS: ClassifierParams = {
  groupWeights: { words: 1, pairs: 1.6, chars: 1 },
  neighbourShare: 0.3,
  descriptionWeight: 0.5,
};

export interface IntentClassifier {
  readonly intents: readonly string[];
  classify(message: string): Classification;
}

function normalizedSum(vectors: ReadonlyArray<readonly [SparseVector, number]>): SparseVector {
  const sum = new Map<number, number>();
  for (const [v, weight] of vectors) {
    for (let i = 0; i < v.ids.length; i += 1) {
      sum.set(v.ids[i]!, (sum.get(v.ids[i]!) ?? 0) + weight * v.values[i]!);
    }
  }
  let norm = 0;
  for (const value of sum.values()) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [id, value] of sum) sum.set(id, value * scale);
  return sparseFromMap(sum);
}

export function trainIntentClassifier(
  intents: readonly IntentSpec[],
  params: ClassifierParams = DEFAULT_CLASSIFIER_PARAMS,
): IntentClassifier {
  if (intents.length === 0) throw new Error("an intent classifier needs at least one intent");
  const exampleBags: FeatureBag[] = [];
  const exampleIntent: number[] = [];
  intents.forEach((intent, i) => {
    for (const example of intent.examples) {
      const bag = extractFeatures(example);
      exampleBags.push(bag);
      exampleIntent.push(i);
    }
  });
  // The name counts as words too: "card_arrival" or "talk_to_human" says what the intent is about.
  const descriptionBags = intents.map((intent) =>
    extractFeatures(`${intent.name.replace(/_/g, " ")} ${intent.description ?? ""}`),
  );
  // Document frequency counts intents, not examples: a word in all ten examples of one intent is that
  // intent's signature, not a common word.
  const exampleCount = exampleBags.length;
  const vectorizer = fitVectorizer([...exampleBags, ...descriptionBags], params.groupWeights, (d) =>
    d < exampleCount ? exampleIntent[d]! : d - exampleCount,
  );
  const exampleVectors = exampleBags.map((bag) => vectorizer.vectorize(bag));
  const vectorsByIntent: SparseVector[][] = intents.map(() => []);
  exampleVectors.forEach((v, e) => vectorsByIntent[exampleIntent[e]!]!.push(v));
  const centroids = intents.map((intent, i) =>
    normalizedSum([
      ...vectorsByIntent[i]!.map((v) => [v, 1] as const),
      // Scaled with √examples so the description keeps a say as an intent gathers examples, without
      // outweighing them.
      [
        vectorizer.vectorize(descriptionBags[i]!),
        params.descriptionWeight * Math.sqrt(intent.examples.length),
      ],
    ]),
  );
  const exampleIndex = buildIndex(exampleVectors, vectorizer.featureCount);
  const centroidIndex = buildIndex(centroids, vectorizer.featureCount);
  const names = intents.map((intent) => intent.name);
  const intentOf = Int32Array.from(exampleIntent);
  const share = params.neighbourShare;

  function classify(message: string): Classification {
    const query = vectorizer.vectorize(extractFeatures(message));
    const exampleSims = dotAll(exampleIndex, query);
    const centroidSims = dotAll(centroidIndex, query);
    const nearest = new Float64Array(names.length);
    for (let e = 0; e < exampleSims.length; e += 1) {
      const i = intentOf[e]!;
      if (exampleSims[e]! > nearest[i]!) nearest[i] = exampleSims[e]!;
    }
    const ranked = names.map((intent, i) => ({
      intent,
      score: Math.min(1, Math.max(0, share * nearest[i]! + (1 - share) * centroidSims[i]!)),
    }));
    // Array.prototype.sort is stable: ties keep the YAML order, so results never depend on engine details.
    ranked.sort((a, b) => b.score - a.score);
    return { ranked, confidence: confidenceFromScores(ranked.map((r) => r.score)) };
  }

  return { intents: names, classify };
}
