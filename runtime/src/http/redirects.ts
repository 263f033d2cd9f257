import type { HttpRequest } from "@flowdeck/node-library/runtime";
import { describeUrl, HttpError } from "./http-errors";
import { parseTargetUrl } from "./safe-target";

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** One request on the way to the final answer; headers are keyed in lower case. */
export interface Hop {
  readonly url: URL;
  readonly method: HttpRequest["method"];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

// Credentials meant for the first origin (Fetch standard, "HTTP-redirect fetch"): a redirect to another
// origin must not carry them there.
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
];

function without(
  headers: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

/**
 * The request a redirect asks for, following the Fetch standard: 303 (and 301/302 after a POST) becomes a
 * GET without a body; 307/308 repeat the method and body; credentials are dropped when the origin changes.
 * The target's URL is checked here (scheme, no credentials); its address is checked when it is connected.
 */
export function nextHop(current: Hop, status: number, location: string): Hop {
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    throw new HttpError(
      "FD244",
      `${describeUrl(current.url)} redirected to a Location that is not a valid URL.`,
    );
  }
  const url = parseTargetUrl(target);
  url.hash = "";
  const toGet = status === 303 || ((status === 301 || status === 302) && current.method === "POST");
  let headers: Record<string, string> = { ...current.headers };
  if (url.origin !== current.url.origin) headers = without(headers, CREDENTIAL_HEADERS);
  if (toGet) headers = without(headers, BODY_HEADERS);
  return { url, method: toGet ? "GET" : current.method, headers, body: toGet ? undefined : current.body };
}
