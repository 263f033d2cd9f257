import { readFileSync } from "node:fs";
import type { IntentSpec } from "../../node-library/src/runtime/router/intent-classifier";

/** Labelled messages for the router benchmarks: BANKING77's CSV files and the e-commerce fixture. */

export interface Row {
  readonly text: string;
  readonly category: string;
}

/** RFC 4180: quoted fields may hold commas, newlines and doubled quotes; CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function readRows(file: string): Row[] {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"));
  const textAt = header?.indexOf("text") ?? -1;
  const categoryAt = header?.indexOf("category") ?? -1;
  if (textAt < 0 || categoryAt < 0) throw new Error(`${file}: expected the columns text,category`);
  return rows
    .filter((r) => r.length > Math.max(textAt, categoryAt))
    .map((r) => ({ text: r[textAt]!, category: r[categoryAt]! }));
}

/** mulberry32, so a sampling is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function byCategory(rows: readonly Row[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const list = out.get(row.category) ?? [];
    list.push(row.text);
    out.set(row.category, list);
  }
  return out;
}

/**
 * `shots` random rows per intent (seeded) become the router's examples; the other rows are "dev", the only
 * rows anything was tuned on.
 */
export function sampleShots(
  train: readonly Row[],
  shots: number,
  seed: number,
): { intents: IntentSpec[]; dev: Row[] } {
  const random = seededRandom(seed);
  const intents: IntentSpec[] = [];
  const dev: Row[] = [];
  for (const [name, texts] of byCategory(train)) {
    const order = shuffled(texts, random);
    intents.push({ name, examples: order.slice(0, shots) });
    for (const text of order.slice(shots)) dev.push({ text, category: name });
  }
  return { intents, dev };
}
