import { describe, expect, it } from "vitest";
import { gramMatrix } from "../../src/runtime/router/gram-matrix";
import { decide, trainOneVsRest } from "../../src/runtime/router/linear-svm";
import type { Row } from "../../src/runtime/router/linear-svm";
import { simdWorkspace } from "../../src/runtime/router/simd-kernels";

/** Deterministic rows: a few sparse features out of `sparseCount`, and a dense block. */
function rows(n: number, sparseCount: number, denseCount: number): Row[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return Array.from({ length: n }, () => {
    const ids = [...new Set(Array.from({ length: 5 }, () => Math.floor(next() * sparseCount)))].sort(
      (a, b) => a - b,
    );
    return {
      ids: Int32Array.from(ids),
      values: Float64Array.from(ids, () => next()),
      dense: Float64Array.from({ length: denseCount }, () => next() - 0.5),
    };
  });
}

function naiveGram(data: readonly Row[], sparseCount: number): Float64Array {
  const n = data.length;
  const out = new Float64Array(n * n);
  const scatter = new Float64Array(sparseCount);
  for (let i = 0; i < n; i += 1) {
    data[i]!.ids.forEach((id, k) => (scatter[id] = data[i]!.values[k]!));
    for (let j = 0; j < n; j += 1) {
      let dot = 1; // the bias feature
      data[j]!.ids.forEach((id, k) => (dot += scatter[id]! * data[j]!.values[k]!));
      data[j]!.dense.forEach((v, d) => (dot += v * data[i]!.dense[d]!));
      out[i * n + j] = dot;
    }
    scatter.fill(0);
  }
  return out;
}

describe("linear SVM training", () => {
  // 23 rows and 7 dense values: neither is a multiple of the kernels' widths, so every tail is exercised.
  const n = 23;
  const data = rows(n, 40, 7);

  it("builds the same Gram matrix with the SIMD kernels and with plain loops", () => {
    const expected = naiveGram(data, 40);
    const plain = gramMatrix(data, 40, 7, null);
    const simd = simdWorkspace(n, 7);
    expect(simd).not.toBeNull();
    const fast = gramMatrix(data, 40, 7, simd);
    for (let k = 0; k < n * n; k += 1) {
      expect(plain[k]).toBeCloseTo(expected[k]!, 5);
      expect(fast[k]).toBeCloseTo(expected[k]!, 5);
    }
  });

  it("takes coordinate steps with the SIMD kernel exactly as the plain loop does", () => {
    const simd = simdWorkspace(n, 7)!;
    gramMatrix(data, 40, 7, simd);
    const expected = new Float64Array(n);
    for (const [row, delta] of [
      [3, 0.25],
      [17, -1.5],
    ] as const) {
      const count = n - (n % 4);
      simd.axpy(row, count, delta);
      for (let j = 0; j < count; j += 1) expected[j]! += delta * simd.gram[row * n + j]!;
    }
    expect([...simd.output]).toEqual([...expected]);
  });

  it("separates the classes it was trained on, the same way every time", () => {
    const labels = data.map((_, i) => i % 3);
    const model = trainOneVsRest(data, labels, 3, 40, 7);
    const again = trainOneVsRest(data, labels, 3, 40, 7);
    expect([...again.weights]).toEqual([...model.weights]);
    const right = data.filter((row, i) => {
      const values = decide(model, row);
      return values.indexOf(Math.max(...values)) === labels[i];
    });
    expect(right.length).toBeGreaterThanOrEqual(n - 2);
  });
});
