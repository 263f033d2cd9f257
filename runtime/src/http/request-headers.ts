import { HttpError } from "./http-errors";

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// Field values may hold visible ASCII, spaces, tabs and obs-text, but never CR, LF or NUL (header injection).
const FORBIDDEN_VALUE_CHARACTERS = /[\r\n\0]/;

// Headers the client owns: they describe the connection or the body framing, and a wrong value lets a
// request smuggle a second one through a proxy or reach another virtual host than the checked one.
const MANAGED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
]);

/**
 * Validates and lower-cases the caller's headers. A bad one is an error (FD249) naming the header but never
 * quoting its value, which is often a token.
 */
export function normaliseRequestHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  maxHeaderValueBytes: number,
): Record<string, string> {
  const normalised: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) {
      throw new HttpError(
        "FD249",
        `The request header name ${JSON.stringify(name.slice(0, 60))} is not valid.`,
      );
    }
    const key = name.toLowerCase();
    if (MANAGED_HEADERS.has(key)) {
      throw new HttpError(
        "FD249",
        `The request header ${name} is set by Flowdeck and cannot be set by a node.`,
      );
    }
    if (typeof value !== "string" || FORBIDDEN_VALUE_CHARACTERS.test(value)) {
      throw new HttpError(
        "FD249",
        `The value of request header ${name} contains a line break or NUL character.`,
      );
    }
    if (Buffer.byteLength(value) > maxHeaderValueBytes) {
      throw new HttpError(
        "FD249",
        `The value of request header ${name} is longer than ${maxHeaderValueBytes} bytes.`,
      );
    }
    normalised[key] = value.trim();
  }
  return normalised;
}
