import type { SimdWorkspace } from "./simd-kernels";

/**
 * The Gram matrix of the SVM's rows (every pair's dot product, plus the constant bias feature's 1), shared by
 * all one-vs-rest problems: computed once, it makes a coordinate step cost O(active rows) when its α moves.
 * Float32 storage (n² × 4 bytes), Float64 accumulation.
 *
 * Two parts, added per pair:
 *   - sparse (lexical block): through postings, so a pair that shares no feature costs nothing;
 *   - dense (word-vector block, in every row): a plain dense product, most of the work. Four rows at a time
 *     against four columns: by the WebAssembly SIMD kernel (simd-kernels.ts) when there is one, else by a
 *     plain loop that feeds each loaded value into four products (BANKING77 10-shot, 875 rows × 300
 *     dimensions: ~16 ms SIMD, ~45 ms plain, ~75 ms pair by pair).
 */

/** A row as the SVM sees it (linear-svm.ts `Row`): sparse ids and values, then the dense block. */
interface GramRow {
  readonly ids: Int32Array;
  readonly values: Float64Array;
  readonly dense: Float64Array;
}

/** Value of the constant bias feature (liblinear `-B 1`); regularised like any other weight. */
export const BIAS = 1;

/** Rows computed together in the dense product; the scratch holds their dot products with every column. */
const TILE_ROWS = 4;

function dot(dense: Float64Array, a: number, b: number, dims: number): number {
  let sum = 0;
  for (let d = 0; d < dims; d += 1) sum += dense[a + d]! * dense[b + d]!;
  return sum;
}

/**
 * `out[t × n + j] = dense_{i+t} · dense_j` for rows i..i+3 and every column j ≥ i; rows `stride` apart.
 * The tile's own triangle and the columns past the last multiple of four go pair by pair.
 */
function denseTile(
  dense: Float64Array,
  n: number,
  dims: number,
  stride: number,
  i: number,
  out: Float64Array,
  simd: SimdWorkspace | null,
): void {
  const rows = Math.min(TILE_ROWS, n - i);
  for (let t = 0; t < rows; t += 1) {
    for (let j = i + t; j < i + rows; j += 1) out[t * n + j] = dot(dense, (i + t) * stride, j * stride, dims);
  }
  let j = i + rows;
  if (rows === TILE_ROWS && simd) {
    const tile = simd.tileOut;
    for (; j + 3 < n; j += 4) {
      simd.tile(i, j);
      for (let t = 0; t < TILE_ROWS; t += 1) {
        const at = t * n + j;
        out[at] = tile[t * 4]!;
        out[at + 1] = tile[t * 4 + 1]!;
        out[at + 2] = tile[t * 4 + 2]!;
        out[at + 3] = tile[t * 4 + 3]!;
      }
    }
  } else if (rows === TILE_ROWS) {
    const a0 = i * stride;
    const a1 = a0 + stride;
    const a2 = a1 + stride;
    const a3 = a2 + stride;
    for (; j + 3 < n; j += 4) {
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      let r0 = 0;
      let r1 = 0;
      let r2 = 0;
      let r3 = 0;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const b0 = j * stride;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      for (let d = 0; d < dims; d += 1) {
        const u0 = dense[b0 + d]!;
        const u1 = dense[b1 + d]!;
        const u2 = dense[b2 + d]!;
        const u3 = dense[b3 + d]!;
        let x = dense[a0 + d]!;
        p0 += x * u0;
        p1 += x * u1;
        p2 += x * u2;
        p3 += x * u3;
        x = dense[a1 + d]!;
        q0 += x * u0;
        q1 += x * u1;
        q2 += x * u2;
        q3 += x * u3;
        x = dense[a2 + d]!;
        r0 += x * u0;
        r1 += x * u1;
        r2 += x * u2;
        r3 += x * u3;
        x = dense[a3 + d]!;
        s0 += x * u0;
        s1 += x * u1;
        s2 += x * u2;
        s3 += x * u3;
      }
      let o = j;
      out[o] = p0;
      out[o + 1] = p1;
      out[o + 2] = p2;
      out[o + 3] = p3;
      o += n;
      out[o] = q0;
      out[o + 1] = q1;
      out[o + 2] = q2;
      out[o + 3] = q3;
      o += n;
      out[o] = r0;
      out[o + 1] = r1;
      out[o + 2] = r2;
      out[o + 3] = r3;
      o += n;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
    }
  }
  for (; j < n; j += 1) {
    for (let t = 0; t < rows; t += 1) out[t * n + j] = dot(dense, (i + t) * stride, j * stride, dims);
  }
}

/** The Gram matrix, in `simd`'s memory when given (its kernels then read it in place). */
export function gramMatrix(
  rows: readonly GramRow[],
  sparseCount: number,
  denseCount: number,
  simd: SimdWorkspace | null,
): Float32Array {
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
  // upper triangle is computed and mirrored.
  const next = counts.slice(0, sparseCount);
  const stride = simd ? simd.denseStride : denseCount;
  const dense = simd ? simd.dense : new Float64Array(n * stride);
  for (let r = 0; r < n; r += 1) {
    const from = rows[r]!.dense;
    for (let d = 0, at = r * stride; d < denseCount; d += 1) dense[at + d] = from[d]!;
  }
  const gram = simd ? simd.gram : new Float32Array(n * n);
  const acc = new Float64Array(n);
  const denseDots = new Float64Array(TILE_ROWS * n);
  for (let i = 0; i < n; i += 1) {
    const t = i % TILE_ROWS;
    if (t === 0 && denseCount > 0) denseTile(dense, n, denseCount, stride, i, denseDots, simd);
    acc.fill(0, i);
    const row = rows[i]!;
    for (let k = 0; k < row.ids.length; k += 1) {
      const f = row.ids[k]!;
      const v = row.values[k]!;
      const first = next[f]!;
      next[f] = first + 1;
      for (let p = first, end = counts[f + 1]!; p < end; p += 1) acc[postRow[p]!]! += v * postValue[p]!;
    }
    const at = t * n;
    const rowAt = i * n;
    for (let j = i; j < n; j += 1)
      gram[rowAt + j] = acc[j]! + (denseCount > 0 ? denseDots[at + j]! : 0) + BIAS * BIAS;
  }
  mirrorUpper(gram, n);
  return gram;
}

/** Block edge of the mirroring copy: two 64 × 64 Float32 blocks fit in L1. */
const MIRROR_BLOCK = 64;

/**
 * Copies the upper triangle onto the lower one block by block: writing each value's mirror as it is computed
 * walks down a column, a cache miss per value once the matrix outgrows the cache (3 MB at 875 rows).
 */
function mirrorUpper(gram: Float32Array, n: number): void {
  for (let bi = 0; bi < n; bi += MIRROR_BLOCK) {
    for (let bj = bi; bj < n; bj += MIRROR_BLOCK) {
      const iEnd = Math.min(bi + MIRROR_BLOCK, n);
      const jEnd = Math.min(bj + MIRROR_BLOCK, n);
      for (let j = bj; j < jEnd; j += 1) {
        for (let i = bi, last = Math.min(iEnd, j); i < last; i += 1) gram[j * n + i] = gram[i * n + j]!;
      }
    }
  }
}
