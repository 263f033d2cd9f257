/**
 * Reads how long a server asked us to wait. `retry-after-ms` (OpenAI, Azure) is more precise than
 * `retry-after`, so it wins when both are present. `retry-after` may be seconds or an HTTP date (RFC 9110).
 */
export function parseRetryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const precise = parseNonNegative(headers.get("retry-after-ms"));
  if (precise !== undefined) return precise;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = parseNonNegative(value);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP date always names a month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone accepts "-3".
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  // A date in the past means "now"; never a negative wait.
  return Math.max(0, date - nowMs);
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
