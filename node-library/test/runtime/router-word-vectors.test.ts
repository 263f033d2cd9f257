import { describe, expect, it } from "vitest";
import { fitSentenceEncoder } from "../../src/runtime/router/sentence-vectors";
import { parseWordVectors, wordVectors } from "../../src/runtime/router/word-vectors";

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let d = 0; d < a.length; d += 1) dot += a[d]! * b[d]!;
  return dot;
}

function wordVector(word: string): Float64Array {
  const vectors = wordVectors();
  const out = new Float64Array(vectors.dimensions);
  vectors.addTo(out, vectors.indexOf(word), 1);
  const norm = Math.sqrt(out.reduce((n, v) => n + v * v, 0));
  return out.map((v) => v / norm);
}

describe("bundled word vectors", () => {
  it("load from the package's assets: 50,000 words by frequency, 100 dimensions", () => {
    const vectors = wordVectors();
    expect(vectors.size).toBe(50_000);
    expect(vectors.dimensions).toBe(100);
    expect(vectors.indexOf("the")).toBe(0);
    expect(vectors.indexOf("refund")).toBeGreaterThan(0);
    expect(vectors.indexOf("can't")).toBe(-1);
    expect(wordVectors()).toBe(vectors);
  });

  it("put related words close together", () => {
    expect(cosine(wordVector("refund"), wordVector("reimbursement"))).toBeGreaterThan(
      cosine(wordVector("refund"), wordVector("weather")),
    );
  });

  it("refuse a file that is not the asset, with a stable code", () => {
    expect(() => parseWordVectors(new Uint8Array(64))).toThrow(/FD233/);
  });
});

describe("sentence vectors", () => {
  it("ignore case, punctuation and contractions, and keep unit length", () => {
    const encoder = fitSentenceEncoder(wordVectors(), [
      "I want my money back",
      "where is my parcel",
      "reset my password",
    ]);
    const refund = encoder.encode("Please refund my purchase");
    expect(cosine(refund, encoder.encode("please REFUND my purchase!!"))).toBeCloseTo(1, 6);
    expect(cosine(encoder.encode("I can't log in"), encoder.encode("I can not log in"))).toBeCloseTo(1, 6);
    expect(cosine(refund, encoder.encode("Has my parcel shipped?"))).toBeLessThan(0.9);
    expect(cosine(refund, refund)).toBeCloseTo(1, 6);
    expect([...encoder.encode("zzzz qqqq")].every((v) => v === 0)).toBe(true);
  });
});
