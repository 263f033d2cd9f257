import type { Request } from "express";
import { ApiError } from "../kit/api-error";

/**
 * Query strings are checked as strictly as bodies: a parameter the route does not know is 400 FD340 (a typo
 * such as `?stauts=open` must not silently list everything), a bad value is 400 FD341, both naming the
 * parameter. A parameter given twice is a bad value.
 */
export type QueryParser<T> = (raw: string, name: string) => T;

export type ParsedQuery<S> = { [K in keyof S]?: S[K] extends QueryParser<infer T> ? T : never };

export function parseQuery<S extends Record<string, QueryParser<unknown>>>(
  req: Request,
  spec: S,
): ParsedQuery<S> {
  const out: Record<string, unknown> = {};
  const query = req.query as Record<string, unknown>;
  for (const [name, raw] of Object.entries(query)) {
    const parse = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!parse) {
      const known = Object.keys(spec);
      throw new ApiError("FD340", `Unknown query parameter "${name.slice(0, 64)}".`, {
        hint:
          known.length > 0
            ? `This route accepts: ${known.join(", ")}.`
            : "This route takes no query parameters.",
      });
    }
    if (typeof raw !== "string") throw invalid(name, "must be given once, as plain text");
    out[name] = parse(raw, name);
  }
  return out as ParsedQuery<S>;
}

export function invalid(name: string, problem: string): ApiError {
  return new ApiError("FD341", `Query parameter "${name}" ${problem}.`);
}

export const intParam =
  (min: number, max: number): QueryParser<number> =>
  (raw, name) => {
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw invalid(name, `must be a whole number from ${min} to ${max}`);
    }
    return value;
  };

export const textParam =
  (maxChars = 200): QueryParser<string> =>
  (raw, name) => {
    const value = raw.trim();
    // NUL cannot reach a text parameter in PostgreSQL; refuse it here instead of failing in the driver.
    if (value === "" || value.length > maxChars || value.includes("\0")) {
      throw invalid(name, `must be 1 to ${maxChars} characters`);
    }
    return value;
  };

export const emailParam: QueryParser<string> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(value) || value.length > 320) throw invalid(name, "must be an email address");
  return value;
};

export const enumParam =
  <T extends string>(values: readonly T[]): QueryParser<T> =>
  (raw, name) => {
    if (!(values as readonly string[]).includes(raw))
      throw invalid(name, `must be one of ${values.join(", ")}`);
    return raw as T;
  };

export const booleanParam: QueryParser<boolean> = (raw, name) => {
  if (raw !== "true" && raw !== "false") throw invalid(name, "must be true or false");
  return raw === "true";
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidParam: QueryParser<string> = (raw, name) => {
  if (!UUID.test(raw)) throw invalid(name, "must be a UUID");
  return raw.toLowerCase();
};

export function isUuidText(value: string): boolean {
  return UUID.test(value);
}

/** An ISO 8601 date or date-time (`2026-11-01`, `2026-11-01T08:00:00Z`), returned as an ISO timestamp. */
export const timestampParam: QueryParser<string> = (raw, name) => {
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)
    ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw)
    : NaN;
  if (Number.isNaN(time))
    throw invalid(name, "must be an ISO 8601 date or date-time, e.g. 2026-11-01T08:00:00Z");
  return new Date(time).toISOString();
};

/** Paging: `limit` (1–200, default 50) and the opaque `cursor` from the previous page's `nextCursor`. */
export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;
export const pageParams = {
  limit: intParam(1, PAGE_MAX_LIMIT),
  cursor: textParam(500),
};
