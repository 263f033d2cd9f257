/**
 * Sparse vectors and an inverted index over them. Scoring a message walks only the postings of the features
 * it has, so its cost grows with the message, not with the number of examples times the vocabulary.
 */

export interface SparseVector {
  readonly ids: Int32Array;
  readonly values: Float64Array;
}

/** Column-compressed postings: for feature `f`, rows `rows[offsets[f]..offsets[f+1]]` with their weights. */
export interface InvertedIndex {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  readonly weights: Float64Array;
  readonly rowCount: number;
}

export function sparseFromMap(map: ReadonlyMap<number, number>): SparseVector {
  const ids = Int32Array.from([...map.keys()].sort((a, b) => a - b));
  const values = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i += 1) values[i] = map.get(ids[i]!)!;
  return { ids, values };
}

export function buildIndex(vectors: readonly SparseVector[], featureCount: number): InvertedIndex {
  const counts = new Int32Array(featureCount + 1);
  for (const v of vectors) for (const id of v.ids) counts[id + 1]! += 1;
  for (let f = 0; f < featureCount; f += 1) counts[f + 1]! += counts[f]!;
  const offsets = Int32Array.from(counts);
  const cursor = Int32Array.from(counts);
  const total = offsets[featureCount]!;
  const rows = new Int32Array(total);
  const weights = new Float64Array(total);
  vectors.forEach((v, row) => {
    for (let i = 0; i < v.ids.length; i += 1) {
      const at = cursor[v.ids[i]!]!;
      rows[at] = row;
      weights[at] = v.values[i]!;
      cursor[v.ids[i]!] = at + 1;
    }
  });
  return { offsets, rows, weights, rowCount: vectors.length };
}

/** Dot products of `query` with every indexed row. */
export function dotAll(index: InvertedIndex, query: SparseVector): Float64Array {
  const out = new Float64Array(index.rowCount);
  for (let i = 0; i < query.ids.length; i += 1) {
    const f = query.ids[i]!;
    const q = query.values[i]!;
    for (let p = index.offsets[f]!, end = index.offsets[f + 1]!; p < end; p += 1) {
      out[index.rows[p]!]! += q * index.weights[p]!;
    }
  }
  return out;
}
