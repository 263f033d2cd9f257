import { confidenceFromDecisions } from "./confidence";
import { decide, trainOneVsRest } from "./linear-svm";
import type { Row, SvmOptions } from "./linear-svm";
import { DEFAULT_SVM_OPTIONS } from "./linear-svm";
import { fitSentenceEncoderOnTokens } from "./sentence-vectors";
import { DEFAULT_SENTENCE_OPTIONS } from "./sentence-vectors";
import type { SentenceEncoder, SentenceOptions } from "./sentence-vectors";
import { DEFAULT_FEATURE_OPTIONS, featuresOfTokens, tokenize } from "./text-features";
import type { FeatureOptions } from "./text-features";
import { fitAndVectorize } from "./tfidf-vectorizer";
import type { GroupWeights, Vectorizer } from "./tfidf-vectorizer";
import { BACKGROUND_SENTENCES } from "./background-sentences";
import { fitWordExpander } from "./word-expansion";
import type { WordExpander } from "./word-expansion";
import { wordVectors } from "./word-vectors";
import { indexExamples } from "./nearest-examples";
import type { WordVectors } from "./word-vectors";

/**
 * The router's local tier: a few-shot intent classifier trained from the intents' examples in the workflow
 * YAML. Pure TypeScript, no network, no downloaded weights (the static word vectors ship with the package).
 * Every message becomes two L2-normalised blocks, side by side:
 *   - lexical: TF-IDF (sublinear tf, smoothed idf) over stemmed words, adjacent word pairs and character
 *     2–5-grams (text-features.ts); exact wording and typos;
 *   - semantic: a SIF-weighted average of static word vectors (sentence-vectors.ts); "refund" and "money
 *     back" land close although they share no letters.
 * One-vs-rest linear SVMs (linear-svm.ts) rank the intents, and `confidenceFromDecisions` turns the decision
 * values into a calibrated probability of being right. Intent names and descriptions count as examples.
 * Measured against a TF-IDF centroid, either block alone and a centroid over both blocks in CONTEXT.md.
 */

export interface IntentSpec {
  readonly name: string;
  readonly description?: string;
  readonly examples: readonly string[];
}

export interface IntentScore {
  readonly intent: string;
  /** 0..1, monotone in the SVM's decision value; comparable between the intents of one classifier. */
  readonly score: number;
}

export interface Classification {
  /** Every intent, best first. */
  readonly ranked: readonly IntentScore[];
  /** Estimated probability, 0..1, that `ranked[0]` is the right intent. */
  readonly confidence: number;
}

export interface ClassifierParams {
  readonly features: FeatureOptions;
  readonly groupWeights: GroupWeights;
  /** Weight of the word-vector block next to the lexical block (each has unit length). */
  readonly vectorWeight: number;
  readonly sentences: SentenceOptions;
  /** Unseen message words join the closest example word above this cosine (0: off). */
  readonly expansionCosine: number;
  /** Weight of the nearest example's similarity added to the SVM's decision value (0: off). */
  readonly neighbourWeight: number;
  readonly svm: SvmOptions;
}

export const DEFAULT_CLASSIFIER_PARAMS: ClassifierParams = {
  features: DEFAULT_FEATURE_OPTIONS,
  groupWeights: { words: 1, pairs: 0.6, chars: 1 },
  vectorWeight: 1,
  sentences: DEFAULT_SENTENCE_OPTIONS,
  expansionCosine: 0.5,
  neighbourWeight: 0.5,
  svm: DEFAULT_SVM_OPTIONS,
};

export interface IntentClassifier {
  readonly intents: readonly string[];
  classify(message: string): Classification;
  /** The SVM decision values of every intent, in intent order (for the calibration fit and the benchmark). */
  decisions(message: string): Float64Array;
}

interface Encoder {
  readonly sparseCount: number;
  readonly denseCount: number;
  encode(text: string): Row;
}

const NO_DENSE = new Float64Array(0);

/** A message's row: its lexical features (with unseen words expanded) beside its word-vector block. */
function combinedEncoder(
  features: FeatureOptions,
  vectorizer: Vectorizer,
  expander: WordExpander | undefined,
  sentences: SentenceEncoder | undefined,
  vectorWeight: number,
): Encoder {
  const useDense = sentences !== undefined && vectorWeight > 0;
  return {
    sparseCount: vectorizer.featureCount,
    denseCount: useDense ? sentences.dimensions : 0,
    encode(text) {
      const tokens = tokenize(text);
      const bag = featuresOfTokens(tokens, features);
      expander?.expand(tokens, bag.words);
      const lexical = vectorizer.vectorize(bag);
      return {
        ...lexical,
        dense: useDense ? scaled(sentences.encodeTokens(tokens), vectorWeight) : NO_DENSE,
      };
    },
  };
}

function scaled(vector: Float64Array, by: number): Float64Array {
  for (let d = 0; d < vector.length; d += 1) vector[d]! *= by;
  return vector;
}

/** Names as words: "card_arrival" says what the intent is about. */
function nameText(intent: IntentSpec): string {
  return intent.name.replace(/_/g, " ");
}

export function trainIntentClassifier(
  intents: readonly IntentSpec[],
  params: ClassifierParams = DEFAULT_CLASSIFIER_PARAMS,
  vectors: WordVectors | null = wordVectors(),
): IntentClassifier {
  if (intents.length === 0) throw new Error("an intent classifier needs at least one intent");
  const texts: string[] = [];
  const labels: number[] = [];
  intents.forEach((intent, i) => {
    for (const text of [
      ...intent.examples,
      nameText(intent),
      ...(intent.description ? [intent.description] : []),
    ]) {
      texts.push(text);
      labels.push(i);
    }
  });
  const intentTexts = texts.length;
  // Background sentences are negatives for every intent (label = intents.length, a class never trained).
  for (const text of BACKGROUND_SENTENCES) {
    texts.push(text);
    labels.push(intents.length);
  }
  // Each text is tokenized and featurised once, and its word-vector block comes from the encoder's fit: a
  // third of training time went into doing both again for the rows.
  const tokens = texts.map(tokenize);
  const { vectorizer, documentVectors } = fitAndVectorize(
    texts.length,
    (i) => featuresOfTokens(tokens[i]!, params.features),
    params.groupWeights,
  );
  // Centred on the intents' own texts: their common direction is what says nothing about any one of them.
  const intentTokens = tokens.slice(0, intentTexts);
  const sentences = vectors ? fitSentenceEncoderOnTokens(vectors, intentTokens, params.sentences) : undefined;
  const encoder = combinedEncoder(params.features, vectorizer, undefined, sentences, params.vectorWeight);
  const useDense = encoder.denseCount > 0;
  const rows: Row[] = documentVectors.map((lexical, i) => {
    if (!useDense) return { ...lexical, dense: NO_DENSE };
    const dense = i < intentTexts ? sentences!.trainingVectors[i]! : sentences!.encodeTokens(tokens[i]!);
    return { ...lexical, dense: scaled(dense, params.vectorWeight) };
  });
  const expander =
    vectors && params.expansionCosine > 0
      ? fitWordExpander(vectors, intentTokens, params.expansionCosine)
      : undefined;
  const queryEncoder = expander
    ? combinedEncoder(params.features, vectorizer, expander, sentences, params.vectorWeight)
    : encoder;
  const names = intents.map((intent) => intent.name);
  const { sparseCount: sparse, denseCount: dense } = encoder;
  const model = trainOneVsRest(rows, labels, intents.length, sparse, dense, params.svm);
  const nearest =
    params.neighbourWeight > 0
      ? indexExamples(rows.slice(0, intentTexts), labels, names.length, sparse, dense)
      : undefined;
  function decisions(message: string): Float64Array {
    const row = queryEncoder.encode(message);
    const all = decide(model, row);
    nearest?.addTo(all, row, params.neighbourWeight);
    return all;
  }

  function classify(message: string): Classification {
    const values = decisions(message);
    const ranked = names.map((intent, i) => ({ intent, value: values[i]! }));
    // Array.prototype.sort is stable: ties keep the YAML order, so results never depend on engine details.
    ranked.sort((a, b) => b.value - a.value);
    return {
      ranked: ranked.map(({ intent, value }) => ({ intent, score: 1 / (1 + Math.exp(-2 * value)) })),
      confidence: confidenceFromDecisions(
        ranked.map((r) => r.value),
        names.length,
      ),
    };
  }

  return { intents: names, classify, decisions };
}
