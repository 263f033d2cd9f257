/**
 * Turning JavaScript values into what PostgreSQL accepts, and rows back into plain values, the same way for
 * both drivers (pg parses int8 as text and PGlite as a number; both give timestamptz as a Date).
 */

// JSON.stringify escapes exactly two things we care about as `\uXXXX`: U+0000 and lone UTF-16 surrogates
// (well-formed pairs are emitted as raw characters). jsonb rejects both, so chat text containing them would
// make a commit fail. The escape only counts when it is not itself escaped, i.e. preceded by an even number
// of backslashes.
const UNSAFE_JSON_ESCAPE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;
const UNSAFE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON text for a jsonb parameter. CEL integers arrive as BigInt: they become numbers when they fit a double
 * exactly and decimal strings otherwise (JSON.stringify would throw). NUL and lone surrogates, which jsonb
 * refuses, become U+FFFD. `undefined` at the top level is stored as JSON null.
 */
export function toJson(value: unknown): string {
  let text: string | undefined;
  try {
    // Without a replacer first: a replacer is called for every value and doubles the cost, while BigInts are
    // rare (JSON.stringify throws a TypeError on one, and then the replacer handles it).
    text = JSON.stringify(value) as string | undefined;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    text = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === "bigint" ? bigintToJson(item) : item,
    ) as string | undefined;
  }
  if (text === undefined) return "null";
  // Most text has no \u escape at all, and a plain search is far cheaper than the look-behind.
  return text.includes("\\u") ? text.replace(UNSAFE_JSON_ESCAPE, "\\ufffd") : text;
}

function bigintToJson(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

/** Text for a `text` column: PostgreSQL refuses U+0000, and a lone surrogate is not valid UTF-8. */
export function cleanText(value: string): string {
  return value.replace(UNSAFE_TEXT, "\uFFFD");
}

/** `cleanText` for optional values; blank strings count as absent, so templates that render empty are unset. */
export function optionalText(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = cleanText(value).trim();
  return trimmed === "" ? null : trimmed;
}

/** ISO 8601 for a timestamptz column value (a Date from both drivers; a string when selected as text). */
export function isoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return new Date(value).toISOString();
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that reach a `uuid` column are checked first: a malformed id means "not found", not a SQL error. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
