import path from "node:path";
import { fileURLToPath } from "node:url";
import { calibrationFeatures } from "../../node-library/src/runtime/router/confidence";
import { trainIntentClassifier } from "../../node-library/src/runtime/router/intent-classifier";
import type { IntentSpec } from "../../node-library/src/runtime/router/intent-classifier";
import { byCategory, readRows, seededRandom, shuffled } from "./intent-data";

/**
 * Fits the router's confidence calibration (node-library/src/runtime/router/confidence.ts) on BANKING77
 * train.csv only: `npx tsx bench/src/fit-router-calibration.ts`, then copy the printed weights.
 *
 * Each draw takes a random subset of intents (2–77) and a number of examples per intent (3–20), trains the
 * local tier on those, and scores other train rows: rows of the subset's intents (label: was the top intent
 * right) and rows of intents outside the subset (label: wrong; weight OUT_OF_SET_WEIGHT), so that a message
 * about none of the intents learns to look unsure. A logistic regression over calibrationFeatures() is then
 * fitted by Newton's method. Draws with an odd seed are held out and printed as a reliability table.
 */

const DRAWS = 48;
const SIZES = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 77];
const SHOTS = [3, 5, 8, 10, 15, 20];
const IN_SET_MESSAGES = 300;
const OUT_OF_SET_MESSAGES = 60;
const OUT_OF_SET_WEIGHT = 0.15;

interface Sample {
  readonly x: number[];
  readonly y: number;
  readonly weight: number;
}

function draw(byIntent: Map<string, string[]>, seed: number): Sample[] {
  const random = seededRandom(seed);
  const names = shuffled([...byIntent.keys()], random);
  const size = SIZES[Math.floor(random() * SIZES.length)]!;
  const shots = SHOTS[Math.floor(random() * SHOTS.length)]!;
  const chosen = names.slice(0, size);
  const intents: IntentSpec[] = [];
  const inSet: { text: string; intent: string }[] = [];
  for (const name of chosen) {
    const rows = shuffled(byIntent.get(name)!, random);
    intents.push({ name, examples: rows.slice(0, shots) });
    for (const text of rows.slice(shots)) inSet.push({ text, intent: name });
  }
  const outOfSet = names.slice(size).flatMap((name) => byIntent.get(name)!.slice(0, 3));
  const classifier = trainIntentClassifier(intents);
  const samples: Sample[] = [];
  for (const { text, intent } of shuffled(inSet, random).slice(0, IN_SET_MESSAGES)) {
    const values = [...classifier.decisions(text)];
    const top = values.indexOf(Math.max(...values));
    values.sort((a, b) => b - a);
    samples.push({
      x: calibrationFeatures(values, size),
      y: intents[top]!.name === intent ? 1 : 0,
      weight: 1,
    });
  }
  for (const text of shuffled(outOfSet, random).slice(0, OUT_OF_SET_MESSAGES)) {
    const values = [...classifier.decisions(text)].sort((a, b) => b - a);
    samples.push({ x: calibrationFeatures(values, size), y: 0, weight: OUT_OF_SET_WEIGHT });
  }
  return samples;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Weighted logistic regression with a tiny ridge, by Newton's method. Returns [intercept, ...weights]. */
function fitLogistic(samples: readonly Sample[]): number[] {
  const k = samples[0]!.x.length + 1;
  let beta = new Array<number>(k).fill(0);
  for (let iteration = 0; iteration < 50; iteration += 1) {
    const gradient = new Array<number>(k).fill(0);
    const hessian = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (const s of samples) {
      const x = [1, ...s.x];
      const p = sigmoid(x.reduce((z, v, i) => z + v * beta[i]!, 0));
      for (let i = 0; i < k; i += 1) {
        gradient[i]! += s.weight * (p - s.y) * x[i]!;
        for (let j = 0; j < k; j += 1) hessian[i]![j]! += s.weight * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i < k; i += 1) hessian[i]![i]! += 1e-6;
    const step = solve(hessian, gradient);
    beta = beta.map((b, i) => b - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return beta;
}

/** Gaussian elimination with partial pivoting (k ≤ 6). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c += 1) {
    let pivot = c;
    for (let r = c + 1; r < n; r += 1) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r += 1) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j += 1) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const train = readRows(path.join(repoRoot, "../shared/datasets/banking77/train.csv"));
const byIntent = byCategory(train);
const fit: Sample[] = [];
const held: Sample[] = [];
for (let seed = 1; seed <= DRAWS; seed += 1)
  (seed % 2 === 0 ? fit : held).push(...draw(byIntent, 7000 + seed));
const beta = fitLogistic(fit);
const [intercept, top, margin, logIntents, marginLogIntents] = beta;
process.stdout.write(
  `${JSON.stringify({ intercept, top, margin, logIntents, marginLogIntents }, null, 2)}\n` +
    `fitted on ${fit.length} messages; held out ${held.length}. Reliability on the held-out draws (in-set):\n`,
);
const bins = Array.from({ length: 10 }, () => ({ n: 0, right: 0, p: 0 }));
for (const s of held) {
  if (s.weight !== 1) continue;
  const p = sigmoid([1, ...s.x].reduce((z, v, i) => z + v * beta[i]!, 0));
  const bin = bins[Math.min(9, Math.floor(p * 10))]!;
  bin.n += 1;
  bin.right += s.y;
  bin.p += p;
}
for (const [i, bin] of bins.entries()) {
  if (bin.n === 0) continue;
  process.stdout.write(
    `  ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: n=${bin.n}  mean confidence ` +
      `${(bin.p / bin.n).toFixed(3)}  accuracy ${(bin.right / bin.n).toFixed(3)}\n`,
  );
}
