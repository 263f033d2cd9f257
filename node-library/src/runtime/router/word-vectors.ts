import { readFileSync } from "node:fs";

/**
 * Static English word vectors for the router's local tier: 50,000 words × 100 dimensions, int8 with a float32
 * scale per word (node-library/assets/README.md says where they come from and how to rebuild them). Words are
 * stored by corpus frequency, so a word's index is its frequency rank. About 5.6 MB; read once per process,
 * on the first router that trains (about 20 ms), never by the isomorphic definitions.
 */

export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** Frequency rank (0 = most frequent), or -1 for a word without a vector. */
  indexOf(word: string): number;
  /** Adds `weight ×` the word's vector to `into`. */
  addTo(into: Float64Array, index: number, weight: number): void;
}

const ASSET_URL = new URL("../../../assets/word-vectors-50k-int8.bin", import.meta.url);
const MAGIC = "FDWV";
const FORMAT = 1;
const HEADER_BYTES = 20;

export class WordVectorAssetError extends Error {
  readonly code = "FD233";
  readonly retryable = false;
  constructor(detail: string) {
    super(
      `FD233 router word vectors unreadable (${detail}); rebuild node-library/assets with ` +
        "node-library/scripts/compact-word-vectors.mjs",
    );
    this.name = "WordVectorAssetError";
  }
}

export function parseWordVectors(bytes: Uint8Array): WordVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== MAGIC || view.getUint32(4, true) !== FORMAT) throw new WordVectorAssetError("unknown format");
  const size = view.getUint32(8, true);
  const dimensions = view.getUint32(12, true);
  const wordBytes = view.getUint32(16, true);
  const scalesAt = HEADER_BYTES + Math.ceil(wordBytes / 4) * 4;
  const valuesAt = scalesAt + 4 * size;
  if (valuesAt + size * dimensions > bytes.byteLength) throw new WordVectorAssetError("truncated");
  const words = new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + wordBytes)).split("\n");
  if (words.length !== size) throw new WordVectorAssetError("word list does not match its count");
  const index = new Map<string, number>();
  words.forEach((word, i) => index.set(word, i));
  const scales = new Float32Array(size);
  for (let i = 0; i < size; i += 1) scales[i] = view.getFloat32(scalesAt + 4 * i, true);
  const values = new Int8Array(bytes.buffer, bytes.byteOffset + valuesAt, size * dimensions);
  return {
    dimensions,
    size,
    indexOf: (word) => index.get(word) ?? -1,
    addTo(into, i, weight) {
      const w = weight * scales[i]!;
      const at = i * dimensions;
      for (let d = 0; d < dimensions; d += 1) into[d]! += w * values[at + d]!;
    },
  };
}

let loaded: WordVectors | undefined;

/** The process-wide word vectors, read on first use. */
export function wordVectors(): WordVectors {
  if (!loaded) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(ASSET_URL);
    } catch (error) {
      throw new WordVectorAssetError(error instanceof Error ? error.message : String(error));
    }
    loaded = parseWordVectors(bytes);
  }
  return loaded;
}
