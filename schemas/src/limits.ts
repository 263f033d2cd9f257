/**
 * Bounds on hostile input. A workflow that needs more than this is better split into subflows; the bounds
 * keep parse time and memory small and predictable (a 10 MB file or an alias bomb is refused in microseconds).
 */
export interface LoadLimits {
  /** Largest accepted file, in bytes of UTF-8. */
  readonly maxBytes: number;
  /** Most alias nodes (`*name`) in one file. */
  readonly maxAliases: number;
  /** Passed to the yaml package: refuses documents whose aliases expand to far more data than they hold. */
  readonly maxAliasExpansion: number;
  /** Deepest nesting of mappings and sequences. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxAliases: 100,
  maxAliasExpansion: 100,
  maxDepth: 64,
};

/** Keys that could reach an object's prototype in code that merges plain objects. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function utf8ByteLength(text: string): number {
  // Cheap bounds first: every UTF-16 unit is 1–3 bytes, so most files never need the exact count.
  if (text.length * 3 <= DEFAULT_LIMITS.maxBytes * 0.5) return text.length;
  return new TextEncoder().encode(text).byteLength;
}
