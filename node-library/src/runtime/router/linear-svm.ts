import { BIAS, gramMatrix } from "./gram-matrix";
import { simdWorkspace } from "./simd-kernels";
import type { SimdWorkspace } from "./simd-kernels";

/**
 * One-vs-rest linear SVMs with the squared hinge loss, trained by dual coordinate descent with shrinking
 * (Hsieh et al. 2008, the algorithm behind liblinear's `-s 1`). For few-shot intents this beats centroids and
 * nearest neighbours: the SVM learns which of the many features separate intents ("arrive" vs "expire") and
 * gives the rest (shared words like "card") weight near zero. Deterministic: the visiting order comes from a
 * seeded generator, so the same examples always give the same weights.
 *
 * A row is a sparse part (ids below `sparseCount`) plus a dense part (the word-vector block), kept apart
 * because the dense part is in every row: its share of the Gram matrix is a plain dense product.
 */

export interface Row {
  readonly ids: Int32Array;
  readonly values: Float64Array;
  /** Length `denseCount` of the model (may be empty when it is 0). */
  readonly dense: Float64Array;
}

export interface SvmOptions {
  /** Cost of a margin violation; liblinear's default 1. BANKING77 dev accuracy was flat within noise for 0.5–2. */
  readonly c: number;
  /**
   * Stop when the projected gradient's spread is below this. liblinear uses 0.1; 1 halves the coordinate
   * steps and moved BANKING77 dev accuracy by less than 0.1 points (the argmax settles long before the duals).
   */
  readonly tolerance: number;
  readonly maxEpochs: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { c: 1, tolerance: 0.5, maxEpochs: 100 };

export interface LinearModel {
  readonly classCount: number;
  readonly sparseCount: number;
  readonly denseCount: number;
  /** Feature-major (sparse features, then dense ones, then the bias): feature f's weights at f × classCount. */
  readonly weights: Float64Array;
}

/** mulberry32: a tiny seeded generator, good enough to shuffle a visiting order. */
function seeded(seed: number): () => number {
  // The state lives in a typed array: a captured `let` above 2³⁰ is a heap number, one allocation per call.
  const state = Uint32Array.of(seed >>> 0);
  return () => {
    const a = (state[0]! + 0x6d2b79f5) >>> 0;
    state[0] = a;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Up to this many rows the SVMs are trained on the rows' Gram matrix (gram-matrix.ts; Float32, n² × 4 bytes:
 * 36 MB at the limit, freed after training). Beyond the limit (very large intent sets) the primal updates are
 * used.
 */
const GRAM_MAX_ROWS = 3_000;

/**
 * output[j] += delta × gram[row × n + j] for every j < n: by the SIMD kernel up to the last multiple of four
 * when there is one, else four at a time, which V8 runs about 1.7× faster than one at a time.
 */
function addScaledRow(
  output: Float64Array,
  gram: Float32Array,
  row: number,
  n: number,
  delta: number,
  simd: SimdWorkspace | null,
): void {
  const at = row * n;
  let j = 0;
  if (simd) {
    j = n - (n % 4);
    simd.axpy(row, j, delta);
  }
  for (; j + 3 < n; j += 4) {
    output[j]! += delta * gram[at + j]!;
    output[j + 1]! += delta * gram[at + j + 1]!;
    output[j + 2]! += delta * gram[at + j + 2]!;
    output[j + 3]! += delta * gram[at + j + 3]!;
  }
  for (; j < n; j += 1) output[j]! += delta * gram[at + j]!;
}

/** The same for the rows `index[0..count)` only. */
function addScaledRowAt(
  output: Float64Array,
  gram: Float32Array,
  at: number,
  index: Int32Array,
  count: number,
  delta: number,
): void {
  for (let t = 0; t < count; t += 1) {
    const j = index[t]!;
    output[j]! += delta * gram[at + j]!;
  }
}

/** Per-row buffers of one class's descent, reused by every class. */
interface DescentScratch {
  readonly simd: SimdWorkspace | null;
  readonly alpha: Float64Array;
  /** output[j] = w · x_j, kept current for the active rows as α moves. */
  readonly output: Float64Array;
  /** Visiting order; the first `active` entries are the rows not shrunk away. */
  readonly index: Int32Array;
}

/** Dual coordinate descent on the Gram matrix; returns α·y (in `scratch.alpha`, valid until the next call). */
function trainOneGram(
  gram: Float32Array,
  n: number,
  y: Int8Array,
  options: SvmOptions,
  random: () => number,
  scratch: DescentScratch,
): Float64Array {
  const { simd, alpha, output, index } = scratch;
  alpha.fill(0);
  output.fill(0);
  for (let i = 0; i < n; i += 1) index[i] = i;
  const diag = 0.5 / options.c;
  let active = n;
  let pgMaxOld = Infinity;
  for (let epoch = 0; epoch < options.maxEpochs; epoch += 1) {
    for (let i = 0; i < active; i += 1) {
      const j = i + Math.floor(random() * (active - i));
      const swap = index[i]!;
      index[i] = index[j]!;
      index[j] = swap;
    }
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s += 1) {
      const i = index[s]!;
      const yi = y[i]!;
      const g = yi * output[i]! - 1 + diag * alpha[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          // Shrinking: a row well outside the margin with α = 0 is left out until the final check.
          active -= 1;
          index[s] = index[active]!;
          index[active] = i;
          s -= 1;
          continue;
        }
        if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - g / (gram[i * n + i]! + diag), 0);
        alpha[i] = next;
        const delta = (next - old) * yi;
        // Most of training is this update. While most rows are active, every row's output is updated: a
        // contiguous pass is about twice as fast per row as gathering the active ones (the inactive rows'
        // outputs are recomputed before they are looked at again anyway).
        if (active * 2 > n) addScaledRow(output, gram, i, n, delta, simd);
        else addScaledRowAt(output, gram, i * n, index, active, delta);
      }
    }
    if (pgMax - pgMin <= options.tolerance) {
      if (active === n) break;
      // Converged on the active rows: bring the others' outputs up to date and check everything once more.
      // Row by row over the few nonzero α (the matrix is symmetric), so the reads are contiguous rows rather
      // than a column stride per inactive row; each sum still adds the rows in order.
      for (let t = active; t < n; t += 1) output[index[t]!] = 0;
      for (let i = 0; i < n; i += 1) {
        if (alpha[i] === 0) continue;
        const a = alpha[i]! * y[i]!;
        const at = i * n;
        for (let t = active; t < n; t += 1) {
          const j = index[t]!;
          output[j]! += a * gram[at + j]!;
        }
      }
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  for (let i = 0; i < n; i += 1) alpha[i]! *= y[i]!;
  return alpha;
}

function dotRow(w: Float64Array, row: Row, sparseCount: number): number {
  let dot = 0;
  for (let k = 0; k < row.ids.length; k += 1) dot += w[row.ids[k]!]! * row.values[k]!;
  for (let d = 0; d < row.dense.length; d += 1) dot += w[sparseCount + d]! * row.dense[d]!;
  return dot;
}

/** The primal variant for large row counts: O(features of the row) per visit, no n² memory. Returns w. */
function trainOnePrimal(
  rows: readonly Row[],
  y: Int8Array,
  sparseCount: number,
  denseCount: number,
  options: SvmOptions,
  random: () => number,
): Float64Array {
  const n = rows.length;
  const biasAt = sparseCount + denseCount;
  const w = new Float64Array(biasAt + 1);
  const alpha = new Float64Array(n);
  const diag = 0.5 / options.c;
  const qii = rows.map((row) => {
    let sq = BIAS * BIAS + diag;
    for (const v of row.values) sq += v * v;
    for (const v of row.dense) sq += v * v;
    return sq;
  });
  const index = Int32Array.from({ length: n }, (_, i) => i);
  let active = n;
  let pgMaxOld = Infinity;
  for (let epoch = 0; epoch < options.maxEpochs; epoch += 1) {
    for (let i = 0; i < active; i += 1) {
      const j = i + Math.floor(random() * (active - i));
      const swap = index[i]!;
      index[i] = index[j]!;
      index[j] = swap;
    }
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s += 1) {
      const i = index[s]!;
      const row = rows[i]!;
      const yi = y[i]!;
      const g = yi * (dotRow(w, row, sparseCount) + w[biasAt]! * BIAS) - 1 + diag * alpha[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          active -= 1;
          index[s] = index[active]!;
          index[active] = i;
          s -= 1;
          continue;
        }
        if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - g / qii[i]!, 0);
        alpha[i] = next;
        const delta = (next - old) * yi;
        for (let k = 0; k < row.ids.length; k += 1) w[row.ids[k]!]! += delta * row.values[k]!;
        for (let d = 0; d < denseCount; d += 1) w[sparseCount + d]! += delta * row.dense[d]!;
        w[biasAt]! += delta * BIAS;
      }
    }
    if (pgMax - pgMin <= options.tolerance) {
      if (active === n) break;
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return w;
}

export function trainOneVsRest(
  rows: readonly Row[],
  labels: ArrayLike<number>,
  classCount: number,
  sparseCount: number,
  denseCount: number,
  options: SvmOptions = DEFAULT_SVM_OPTIONS,
): LinearModel {
  const featureCount = sparseCount + denseCount;
  const weights = new Float64Array((featureCount + 1) * classCount);
  const random = seeded(0x5eed);
  const n = rows.length;
  const y = new Int8Array(n);
  if (n > GRAM_MAX_ROWS) {
    for (let c = 0; c < classCount; c += 1) {
      for (let i = 0; i < n; i += 1) y[i] = labels[i] === c ? 1 : -1;
      const primal = trainOnePrimal(rows, y, sparseCount, denseCount, options, random);
      for (let f = 0; f <= featureCount; f += 1) weights[f * classCount + c] = primal[f]!;
    }
    return { classCount, sparseCount, denseCount, weights };
  }
  const simd = simdWorkspace(n, denseCount);
  const gram = gramMatrix(rows, sparseCount, denseCount, simd);
  // Each class's w = Σ αᵢ yᵢ xᵢ is summed in a contiguous vector (it fits in cache), kept class-major, and
  // moved into the feature-major matrix in blocks at the end: writing one class's column straight into it
  // strides through the whole matrix (6.6 MB at BANKING77 10-shot) once per class.
  const columns = featureCount + 1;
  const classMajor = new Float64Array(columns * classCount);
  const scratch = {
    simd,
    alpha: new Float64Array(n),
    output: simd ? simd.output : new Float64Array(n),
    index: new Int32Array(n),
  };
  for (let c = 0; c < classCount; c += 1) {
    for (let i = 0; i < n; i += 1) y[i] = labels[i] === c ? 1 : -1;
    const alphaY = trainOneGram(gram, n, y, options, random, scratch);
    addSupportRows(classMajor.subarray(c * columns, (c + 1) * columns), alphaY, rows, sparseCount);
  }
  transposeInto(weights, classMajor, classCount, columns);
  return { classCount, sparseCount, denseCount, weights };
}

/**
 * w += Σ αᵢ yᵢ xᵢ over the rows with α ≠ 0 (the bias last). Its own function so V8 optimises it after a few
 * classes; as a loop inside the once-per-training caller it ran unoptimised, several times slower.
 */
function addSupportRows(
  w: Float64Array,
  alphaY: Float64Array,
  rows: readonly Row[],
  sparseCount: number,
): void {
  const biasAt = w.length - 1;
  for (let i = 0; i < rows.length; i += 1) {
    const a = alphaY[i]!;
    if (a === 0) continue;
    const { ids, values, dense } = rows[i]!;
    for (let k = 0; k < ids.length; k += 1) w[ids[k]!]! += a * values[k]!;
    for (let d = 0; d < biasAt - sparseCount; d += 1) w[sparseCount + d]! += a * dense[d]!;
    w[biasAt]! += a * BIAS;
  }
}

/** Features per block of the transpose: a block's rows of the feature-major matrix stay in cache. */
const TRANSPOSE_BLOCK = 64;

/** `into[f × rows + r] = from[r × columns + f]`, block by block. */
function transposeInto(into: Float64Array, from: Float64Array, rows: number, columns: number): void {
  for (let start = 0; start < columns; start += TRANSPOSE_BLOCK) {
    const end = Math.min(start + TRANSPOSE_BLOCK, columns);
    for (let r = 0; r < rows; r += 1) {
      const at = r * columns;
      for (let f = start; f < end; f += 1) into[f * rows + r] = from[at + f]!;
    }
  }
}

/** Decision values of every class for one row; sparse ids the model never saw are ignored. */
export function decide(model: LinearModel, row: Row): Float64Array {
  const k = model.classCount;
  const out = new Float64Array(k);
  const w = model.weights;
  const biasAt = (model.sparseCount + model.denseCount) * k;
  for (let c = 0; c < k; c += 1) out[c] = w[biasAt + c]! * BIAS;
  for (let i = 0; i < row.ids.length; i += 1) {
    const f = row.ids[i]!;
    if (f >= model.sparseCount) continue;
    const v = row.values[i]!;
    const at = f * k;
    for (let c = 0; c < k; c += 1) out[c]! += v * w[at + c]!;
  }
  for (let d = 0; d < model.denseCount; d += 1) {
    const v = row.dense[d]!;
    if (v === 0) continue;
    const at = (model.sparseCount + d) * k;
    for (let c = 0; c < k; c += 1) out[c]! += v * w[at + c]!;
  }
  return out;
}
