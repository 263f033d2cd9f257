import { CORE_SCHEMA, load } from "js-yaml";
import { FORBIDDEN_KEYS, type LoadLimits } from "./limits";

/**
 * The quick way to the plain data of a workflow, for the common case of a file that needs no positions.
 *
 * The `yaml` package keeps comments and positions, which edits and problem reports need, but it is an order of
 * magnitude slower than js-yaml (about 60 ms against 4 ms for a 500-node flow here). So validation first reads
 * the data with js-yaml on the same YAML 1.2 core schema; only when something is wrong, or js-yaml refuses the
 * text, does it read the file again with `yaml` to place each problem. Anything unusual falls back rather
 * than being handled twice: a parse error, a shared (aliased) object, deep nesting, a forbidden key.
 * Returns undefined to mean "use the full loader".
 */
export function fastParse(text: string, limits: LoadLimits): Record<string, unknown> | undefined {
  // The two parsers read a few rare plain scalars differently (`-.5`, `0b101`, `+0x1F`, `-0`); any text that
  // could hold one takes the full loader, whose reading is the one Flowdeck uses everywhere else.
  if (AMBIGUOUS_SCALAR.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, json: false });
  } catch {
    // Includes RangeError from js-yaml's recursion on very deep nesting: the full loader reports it properly.
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return isPlainTree(value, limits) ? (value as Record<string, unknown>) : undefined;
}

const AMBIGUOUS_SCALAR = /(?:^|[\s[{,:])[-+]?(?:0b[01_]|\.\d|0x)|(?:^|[\s[{,:])-0(?:[\s,\]}]|$)/m;

/** True when the value is a tree (no object reached twice, which is how js-yaml represents aliases) within limits. */
function isPlainTree(root: object, limits: LoadLimits): boolean {
  const seen = new Set<object>();
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (seen.has(value) || depth >= limits.maxDepth) return false;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return false;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return true;
}
