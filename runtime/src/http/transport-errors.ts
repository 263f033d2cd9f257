import { describeUrl, HttpError } from "./http-errors";

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * Turns an undici or socket failure into an HttpError with a code a tenant admin can act on. Only the error's
 * `code` is used: messages from lower layers are not copied, so nothing they quote can leak into a trace.
 * Returns undefined when the request was aborted, so the caller can report the timeout or the cancellation.
 */
export function toHttpError(error: unknown, url: URL, signal: AbortSignal): HttpError | undefined {
  if (signal.aborted) return undefined;
  const raw = (error as { code?: unknown } | null)?.code;
  const code = typeof raw === "string" ? raw : "";
  const target = describeUrl(url);
  switch (code) {
    case "UND_ERR_HEADERS_OVERFLOW":
      return new HttpError(
        "FD246",
        `The response headers from ${target} are larger than the client accepts.`,
      );
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return new HttpError("FD243", `${target} stopped answering (${code}).`);
    case "UND_ERR_INVALID_ARG":
      return new HttpError(
        "FD249",
        `The request to ${target} was rejected before sending: a header or the body is invalid.`,
      );
    case "UND_ERR_CONNECT_TIMEOUT":
      return new HttpError("FD245", `Connecting to ${url.host} timed out.`);
    case "ECONNREFUSED":
      return new HttpError("FD245", `${url.host} refused the connection.`);
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return new HttpError(
        "FD245",
        `The connection to ${url.host} was closed before the answer was complete.`,
      );
    default:
      if (TLS_CODES.test(code)) {
        return new HttpError(
          "FD245",
          `The TLS connection to ${url.host} failed (${code}); check its certificate.`,
        );
      }
      return new HttpError("FD245", `The request to ${target} failed${code ? ` (${code})` : ""}.`);
  }
}
