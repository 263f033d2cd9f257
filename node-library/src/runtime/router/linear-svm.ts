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
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bias is a constant feature of value 1 (liblinear `-B 1`), regularised like any other weight. */
const BIAS = 1;

/**
 * Up to this many rows the SVMs are trained on the rows' Gram matrix (Float32, n² × 4 bytes: 36 MB at the
 * limit, freed after training). One Gram matrix serves every intent's SVM, and a coordinate step then costs
 * O(active rows) only when its α moves, instead of two passes over the row's features for every visit.
 * Beyond the limit (very large intent sets) the primal updates are used.
 */
const GRAM_MAX_ROWS = 3_000;

function gramMatrix(rows: readonly Row[], sparseCount: number, denseCount: number): Float32Array {
  const n = rows.length;
  const counts = new Int32Array(sparseCount + 1);
  for (const row of rows) for (const id of row.ids) counts[id + 1]! += 1;
  for (let f = 0; f < sparseCount; f += 1) counts[f + 1]! += counts[f]!;
  const cursor = Int32Array.from(counts);
  const postRow = new Int32Array(counts[sparseCount]!);
  const postValue = new Float64Array(counts[sparseCount]!);
  rows.forEach((row, r) => {
    for (let k = 0; k < row.ids.length; k += 1) {
      const at = cursor[row.ids[k]!]!;
      postRow[at] = r;
      postValue[at] = row.values[k]!;
      cursor[row.ids[k]!] = at + 1;
    }
  });
  // Rows are visited in order, so each feature's postings before `next[f]` belong to earlier rows: only the
  // upper triangle is computed and mirrored. Accumulated in Float64, stored as Float32.
  const next = counts.slice(0, sparseCount);
  const dense = new Float64Array(n * denseCount);
  rows.forEach((row, r) => dense.set(row.dense.subarray(0, denseCount), r * denseCount));
  const gram = new Float32Array(n * n);
  const acc = new Float64Array(n);
  const store = (i: number, j: number, denseDot: number) => {
    const value = acc[j]! + denseDot + BIAS * BIAS;
    gram[i * n + j] = value;
    gram[j * n + i] = value;
  };
  for (let i = 0; i < n; i += 1) {
    acc.fill(0, i);
    const row = rows[i]!;
    for (let k = 0; k < row.ids.length; k += 1) {
      const f = row.ids[k]!;
      const v = row.values[k]!;
      const first = next[f]!;
      next[f] = first + 1;
      for (let p = first, end = counts[f + 1]!; p < end; p += 1) acc[postRow[p]!]! += v * postValue[p]!;
    }
    // The dense block is in every row, so its dot products are most of the work: four at a time, so each
    // value of row i is loaded once per four rows (about twice as fast as one at a time in V8).
    const ai = i * denseCount;
    let j = i;
    for (; j + 3 < n; j += 4) {
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      const b0 = j * denseCount;
      const b1 = b0 + denseCount;
      const b2 = b1 + denseCount;
      const b3 = b2 + denseCount;
      for (let d = 0; d < denseCount; d += 1) {
        const a = dense[ai + d]!;
        d0 += a * dense[b0 + d]!;
        d1 += a * dense[b1 + d]!;
        d2 += a * dense[b2 + d]!;
        d3 += a * dense[b3 + d]!;
      }
      store(i, j, d0);
      store(i, j + 1, d1);
      store(i, j + 2, d2);
      store(i, j + 3, d3);
    }
    for (; j < n; j += 1) {
      let dot = 0;
      for (let d = 0, bj = j * denseCount; d < denseCount; d += 1) dot += dense[ai + d]! * dense[bj + d]!;
      store(i, j, dot);
    }
  }
  return gram;
}

/** Dual coordinate descent on the Gram matrix; returns α·y. */
function trainOneGram(
  gram: Float32Array,
  n: number,
  y: Int8Array,
  options: SvmOptions,
  random: () => number,
): Float64Array {
  const alpha = new Float64Array(n);
  const diag = 0.5 / options.c;
  // output[j] = w · x_j, kept current for the active rows as α moves.
  const output = new Float64Array(n);
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
        const at = i * n;
        if (active === n) for (let j = 0; j < n; j += 1) output[j]! += delta * gram[at + j]!;
        else {
          for (let t = 0; t < active; t += 1) {
            const j = index[t]!;
            output[j]! += delta * gram[at + j]!;
          }
        }
      }
    }
    if (pgMax - pgMin <= options.tolerance) {
      if (active === n) break;
      // Converged on the active rows: bring the others' outputs up to date and check everything once more.
      for (let t = active; t < n; t += 1) {
        const j = index[t]!;
        let sum = 0;
        for (let i = 0; i < n; i += 1) if (alpha[i] !== 0) sum += alpha[i]! * y[i]! * gram[i * n + j]!;
        output[j] = sum;
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
  const gram = n <= GRAM_MAX_ROWS ? gramMatrix(rows, sparseCount, denseCount) : undefined;
  const w = new Float64Array(featureCount + 1);
  for (let c = 0; c < classCount; c += 1) {
    for (let i = 0; i < n; i += 1) y[i] = labels[i] === c ? 1 : -1;
    if (!gram) {
      const primal = trainOnePrimal(rows, y, sparseCount, denseCount, options, random);
      for (let f = 0; f <= featureCount; f += 1) weights[f * classCount + c] = primal[f]!;
      continue;
    }
    const alphaY = trainOneGram(gram, n, y, options, random);
    // w = Σ αᵢ yᵢ xᵢ, summed contiguously, then copied into the feature-major matrix.
    w.fill(0);
    for (let i = 0; i < n; i += 1) {
      const a = alphaY[i]!;
      if (a === 0) continue;
      const row = rows[i]!;
      for (let k = 0; k < row.ids.length; k += 1) w[row.ids[k]!]! += a * row.values[k]!;
      for (let d = 0; d < denseCount; d += 1) w[sparseCount + d]! += a * row.dense[d]!;
      w[featureCount]! += a * BIAS;
    }
    for (let f = 0; f <= featureCount; f += 1) weights[f * classCount + c] = w[f]!;
  }
  return { classCount, sparseCount, denseCount, weights };
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
