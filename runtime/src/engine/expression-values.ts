/**
 * CEL keeps ints and doubles apart (`1 + 1.0` is an error), while JSON and YAML have one number type. Whole
 * numbers go to CEL as ints so counters work (`vars.tries + 1`); CEL compares ints and doubles across types, so
 * `vars.total > 500.0` still holds. CEL ints come back as BigInt and are turned into numbers again.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    // Keys, not entries: every expression converts the roots it reads, and entries allocated a pair per member.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = toCel((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value instanceof Uint8Array) return Array.from(value);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = fromCel((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
