/**
 * How sure the local tier is that its top intent is right, as a probability (0..1), so that the router's
 * `confidence_threshold` means the same thing for 3 intents and for 77.
 *
 * A raw margin does not carry over between flows: with fewer intents each one-vs-rest SVM sees more of every
 * other intent's examples, and margins grow. So the probability is a logistic model (Platt scaling) over
 *   - the top decision value (how strongly the best intent claims the message at all),
 *   - the margin to the runner-up (with one intent, to the SVM's "no" side, -1),
 *   - ln(number of intents), and the margin × ln(intents) interaction (the same margin is worth less among
 *     many intents).
 * The coefficients come from bench/src/fit-router-calibration.ts, fitted on BANKING77 train.csv only: random
 * intent subsets (2–77 intents, 3–20 examples each) trained on some rows and scored on the other rows of those
 * intents, plus rows of intents outside the subset (labelled wrong, so "none of these" is learnt). test.csv
 * and the e-commerce set were never used.
 */

export interface CalibrationWeights {
  readonly intercept: number;
  readonly top: number;
  readonly margin: number;
  readonly logIntents: number;
  readonly marginLogIntents: number;
}

// Held-out draws, in-set messages: mean confidence 0.26 / 0.45 / 0.65 / 0.86 / 0.98 in the bins where
// accuracy was 0.24 / 0.48 / 0.69 / 0.87 / 0.98 (the fitting script prints the whole table).
export const CALIBRATION: CalibrationWeights = {
  intercept: -0.0876,
  top: 1.273,
  margin: 3.6114,
  logIntents: -0.1532,
  marginLogIntents: -0.1187,
};

/** The calibration's inputs for `decisions` sorted best first. */
export function calibrationFeatures(decisions: readonly number[], intentCount: number): number[] {
  const top = decisions[0] ?? -1;
  const runnerUp = intentCount > 1 ? (decisions[1] ?? -1) : -1;
  const margin = top - runnerUp;
  const logIntents = Math.log(Math.max(1, intentCount));
  return [top, margin, logIntents, margin * logIntents];
}

export function confidenceFromDecisions(
  decisions: readonly number[],
  intentCount: number,
  weights: CalibrationWeights = CALIBRATION,
): number {
  const [top, margin, logIntents, interaction] = calibrationFeatures(decisions, intentCount);
  const z =
    weights.intercept +
    weights.top * top! +
    weights.margin * margin! +
    weights.logIntents * logIntents! +
    weights.marginLogIntents * interaction!;
  return 1 / (1 + Math.exp(-z));
}
