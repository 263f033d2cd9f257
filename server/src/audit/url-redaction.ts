import { redactPathSecrets } from "./url-path-secrets";

/**
 * URLs as the audit log keeps them. A webhook receiver often authenticates the calls it gets by a token in the
 * URL (`?token=…`, `?code=…`, `https://user:pass@host`, `/services/T…/B…/<secret>`), and every admin can read
 * the log: so a URL there keeps its scheme, host, port and readable path, which say where the data goes, and
 * loses every query value, the userinfo, the fragment and the path segments that are secrets
 * (url-path-secrets.ts), which are where such tokens sit. Parameter names stay, so a reader can still tell two
 * URLs apart by their shape.
 */

/** What stands in the log for each value taken out. */
export const REDACTED = "REDACTED";

// scheme://authority path ?query #fragment, by hand rather than with URL: a URL cut to fit the row (`…` at the
// end) must still be redacted, and what is kept must stay byte for byte as it was written.
const PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/is;
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `text` with its userinfo, secret path segments, query values and fragment replaced by REDACTED; text that is
 * not a URL as it is.
 */
export function redactUrl(text: string): string {
  const parts = PARTS.exec(text);
  if (!parts) return text;
  const [, scheme, authority = "", path = "", query, fragment] = parts;
  const at = authority.lastIndexOf("@");
  const host = at === -1 ? authority : authority.slice(at + 1);
  const userinfo =
    at === -1 ? "" : `${authority.slice(0, at).includes(":") ? `${REDACTED}:${REDACTED}` : REDACTED}@`;
  const search = query === undefined ? "" : `?${query.split("&").map(redactParameter).join("&")}`;
  const hash = fragment === undefined ? "" : fragment === "" ? "#" : `#${REDACTED}`;
  return `${scheme}${userinfo}${host}${redactPathSecrets(host, path, REDACTED)}${search}${hash}`;
}

/** `name=value` keeps its name; a lone `word` may be the token itself (`?s3cr3t`), so it goes whole. */
function redactParameter(parameter: string): string {
  if (parameter === "") return parameter;
  const equals = parameter.indexOf("=");
  if (equals === -1) return REDACTED;
  return equals === parameter.length - 1 ? parameter : `${parameter.slice(0, equals + 1)}${REDACTED}`;
}

/**
 * A copy of an audit detail with every string that is a URL redacted, at any depth. recordAudit passes every
 * detail through it, so a writer that forgets cannot leak a token, and listAudit too, for rows written before.
 */
export function redactUrlsIn<T>(value: T): T {
  if (typeof value === "string") return (LOOKS_LIKE_URL.test(value) ? redactUrl(value) : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactUrlsIn(item)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redactUrlsIn(item)]),
    ) as T;
  }
  return value;
}
