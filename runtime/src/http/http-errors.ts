/**
 * Safe HTTP error codes (FD240–FD249; DESIGN.md §7), each with a one-line fix hint for a tenant admin. The
 * `tool.http` executor in node-library adds FD250–FD251 for what it does with a response; FD252–FD259 are free.
 */
export const HTTP_ERRORS = {
  FD240:
    "The address is internal (loopback, private, link-local, metadata …) and not on the workspace's HTTP " +
    "allow-list; call a public address, or ask an admin to allow-list the internal host or range.",
  FD241:
    "The server redirected more times than max_redirects allows; call the final URL directly or raise the limit.",
  FD242: "The response was larger than max_response_bytes; ask the API for less data or raise the limit.",
  FD243: "The server did not answer within timeout_ms; raise the timeout or check that the service is up.",
  FD244:
    "The URL is not usable: it must be an absolute http:// or https:// URL without a user name or password.",
  FD245:
    "The server could not be reached (DNS, connection or TLS failure); check the host name and that the service is up.",
  FD246: "The response headers were too large; the server is misbehaving or this is not an API endpoint.",
  FD247: "The request body is too large; send less data.",
  FD248:
    "The HTTP client is misconfigured (an allow-list entry or option is invalid); fix the workspace's HTTP settings.",
  FD249:
    "A request header is not allowed or not valid (e.g. Host, Content-Length, or a line break in a value); remove it.",
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/**
 * A timeout (FD243) or an unreachable server (FD245) may pass; a refused address, a bad URL, header or option,
 * or an answer over a limit is the same on every try.
 */
const RETRYABLE_HTTP_CODES: ReadonlySet<HttpErrorCode> = new Set(["FD243", "FD245"]);

/**
 * A failure of the safe HTTP client. `code` survives the engine's `describeError`. Messages name the host and
 * the address class but never header values, query strings or the original cause, which could carry secrets.
 */
export class HttpError extends Error {
  readonly hint: string;
  /** Whether another try can help (a timeout or an unreachable server); a refused address never. */
  readonly retryable: boolean;

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    /** For FD240: which class of address was refused (`loopback`, `private`, `metadata` …). */
    readonly addressClass?: string,
  ) {
    super(message);
    this.name = "HttpError";
    this.hint = HTTP_ERRORS[code];
    this.retryable = RETRYABLE_HTTP_CODES.has(code);
  }

  /** The same failure, with the redirect hop it happened at in front of the message. */
  atRedirect(hop: number, target: string): HttpError {
    const where = target ? `redirect ${hop} to ${target}` : `redirect ${hop}`;
    return new HttpError(this.code, `After ${where}: ${this.message}`, this.addressClass);
  }
}

/**
 * The part of a URL that is safe to show: scheme, host, port and path. The query and fragment often carry
 * API keys, so they are left out, as are the user name and password.
 */
export function describeUrl(url: URL): string {
  const path = url.pathname.length > 120 ? `${url.pathname.slice(0, 117)}...` : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}
