import type { HttpRequest, HttpResponse, SafeHttpClient } from "@flowdeck/node-library/runtime";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { parseAllowList } from "./allow-list";
import {
  createGuardedConnector,
  systemResolver,
  type HostResolver,
  type SocketConnector,
} from "./guarded-connector";
import { describeUrl, HttpError } from "./http-errors";
import { discardBody, readBodyText } from "./read-body";
import { nextHop, REDIRECT_STATUSES, type Hop } from "./redirects";
import { normaliseRequestHeaders } from "./request-headers";
import { checkHostBeforeConnect, parseTargetUrl } from "./safe-target";
import { toHttpError } from "./transport-errors";

export interface SafeHttpClientOptions {
  /**
   * What the tenant allowed beyond the public internet: IP addresses, CIDR ranges and host names
   * (`*.internal.example` for every name below one). Default: nothing. Metadata endpoints and the
   * unspecified address are refused even when listed.
   */
  readonly allowList?: readonly string[];
  /** Resolves host names. Default: the system resolver (`dns.lookup`, all addresses). */
  readonly resolver?: HostResolver;
  /** Opens a socket to an already checked IP address. Default: undici's `buildConnector`. */
  readonly connector?: SocketConnector;
  /** Sent when a request sets no User-Agent. Default: `Flowdeck/0.1 (tool.http)`. */
  readonly userAgent?: string;
  /** Used when a request's `timeoutMs` is not a positive number. Default 10 000 ms. */
  readonly defaultTimeoutMs?: number;
  /** Ceiling on any request's `timeoutMs`, redirects included. Default 300 000 ms. */
  readonly maxTimeoutMs?: number;
  /** Ceiling on any request's `maxResponseBytes`. Default 10 MiB (what the node's schema allows). */
  readonly maxResponseBytesLimit?: number;
  /** Ceiling on `maxRedirects`. Default 10. */
  readonly maxRedirectsLimit?: number;
  /** Time to open one TCP/TLS connection, per address tried. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Total size of a response's status line and headers. Default 32 KiB. */
  readonly maxResponseHeaderBytes?: number;
  /** Largest request body. Default 10 MiB. */
  readonly maxRequestBodyBytes?: number;
  /** Largest single request header value. Default 16 KiB. */
  readonly maxRequestHeaderValueBytes?: number;
}

/** A `SafeHttpClient` that owns a connection pool: close it when its tenant's settings change or on shutdown. */
export interface ManagedSafeHttpClient extends SafeHttpClient {
  /** Waits for requests in flight, then closes every pooled connection. */
  close(): Promise<void>;
  /** Closes every connection now, failing requests in flight. */
  destroy(): Promise<void>;
}

const DEFAULTS = {
  userAgent: "Flowdeck/0.1 (tool.http)",
  defaultTimeoutMs: 10_000,
  maxTimeoutMs: 300_000,
  maxResponseBytesLimit: 10 * 1024 * 1024,
  maxRedirectsLimit: 10,
  connectTimeoutMs: 10_000,
  maxResponseHeaderBytes: 32 * 1024,
  maxRequestBodyBytes: 10 * 1024 * 1024,
  maxRequestHeaderValueBytes: 16 * 1024,
};

const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The whole-request deadline and the caller's signal, combined into the one signal undici sees. */
function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new HttpError("FD243", `No complete answer within ${timeoutMs} ms.`));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/**
 * A failure as an HttpError that says which redirect hop it happened at ("After redirect 2 to http://…: …").
 * Aborts come back unchanged: the caller decides between timeout and cancellation.
 */
function atHop(error: unknown, signal: AbortSignal, hop: number, url: URL, urlIsTarget = true): unknown {
  const httpError = error instanceof HttpError ? error : toHttpError(error, url, signal);
  if (!httpError || hop === 0) return httpError ?? error;
  return httpError.atRedirect(hop, urlIsTarget ? describeUrl(url) : "");
}

/**
 * Creates the HTTP client behind `tool.http` (DESIGN.md §5). Every connection goes through a dedicated undici
 * Agent whose connect hook resolves the host once, refuses internal addresses unless allow-listed, and
 * connects to the address it checked. Redirects are followed here, one hop at a time, so each hop is checked
 * again. One client per allow-list: pooled connections were checked against the list they were opened with,
 * so two tenants with different lists must never share a client.
 */
export function createSafeHttpClient(options: SafeHttpClientOptions = {}): ManagedSafeHttpClient {
  const settings = {
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    defaultTimeoutMs: positiveOr(options.defaultTimeoutMs, DEFAULTS.defaultTimeoutMs),
    maxTimeoutMs: positiveOr(options.maxTimeoutMs, DEFAULTS.maxTimeoutMs),
    maxResponseBytesLimit: positiveOr(options.maxResponseBytesLimit, DEFAULTS.maxResponseBytesLimit),
    maxRedirectsLimit: Math.max(0, options.maxRedirectsLimit ?? DEFAULTS.maxRedirectsLimit),
    maxRequestBodyBytes: positiveOr(options.maxRequestBodyBytes, DEFAULTS.maxRequestBodyBytes),
    maxRequestHeaderValueBytes: positiveOr(
      options.maxRequestHeaderValueBytes,
      DEFAULTS.maxRequestHeaderValueBytes,
    ),
  };
  const allowList = parseAllowList(options.allowList);
  const connectTimeoutMs = positiveOr(options.connectTimeoutMs, DEFAULTS.connectTimeoutMs);
  const agent = new Agent({
    connect: createGuardedConnector({
      allowList,
      resolver: options.resolver ?? systemResolver,
      connector: options.connector ?? buildConnector({ timeout: connectTimeoutMs }),
    }),
    maxHeaderSize: positiveOr(options.maxResponseHeaderBytes, DEFAULTS.maxResponseHeaderBytes),
  });

  function firstHop(request: HttpRequest): Hop {
    if (!METHODS.has(request.method)) {
      throw new HttpError("FD244", `The method ${String(request.method).slice(0, 20)} is not supported.`);
    }
    const url = parseTargetUrl(request.url);
    url.hash = "";
    const headers = normaliseRequestHeaders(request.headers, settings.maxRequestHeaderValueBytes);
    headers["user-agent"] ??= settings.userAgent;
    // Compressed answers are decoded while streaming and counted against the cap (read-body.ts).
    headers["accept-encoding"] = "gzip, deflate, br";
    if (request.body !== undefined && Buffer.byteLength(request.body) > settings.maxRequestBodyBytes) {
      throw new HttpError("FD247", `The request body is larger than ${settings.maxRequestBodyBytes} bytes.`);
    }
    return { url, method: request.method, headers, body: request.body };
  }

  // undici 7's dispatcher never follows redirects itself; this loop does, so each hop passes the checks again.
  async function send(
    request: HttpRequest,
    first: Hop,
    signal: AbortSignal,
    maxResponseBytes: number,
  ): Promise<HttpResponse> {
    const asked = Number.isFinite(request.maxRedirects) ? Math.floor(request.maxRedirects) : 0;
    const maxRedirects = Math.max(0, Math.min(asked, settings.maxRedirectsLimit));
    let hop = first;
    for (let redirects = 0; ; redirects += 1) {
      let response: Dispatcher.ResponseData;
      try {
        const early = checkHostBeforeConnect(hop.url, allowList);
        if (early) throw early;
        response = await agent.request({
          origin: hop.url.origin,
          path: `${hop.url.pathname}${hop.url.search}`,
          method: hop.method,
          headers: hop.headers,
          body: hop.body ?? null,
          signal,
        });
      } catch (error) {
        throw atHop(error, signal, redirects, hop.url);
      }
      const location = response.headers.location;
      if (
        !request.followRedirects ||
        !REDIRECT_STATUSES.has(response.statusCode) ||
        typeof location !== "string"
      ) {
        try {
          const { text } = await readBodyText(response.body, response.headers, {
            maxResponseBytes,
            target: describeUrl(hop.url),
          });
          return { status: response.statusCode, headers: flattenHeaders(response.headers), body: text };
        } catch (error) {
          throw atHop(error, signal, redirects, hop.url);
        }
      }
      // A redirect's body is not read: the next hop starts at once, on a fresh or pooled connection.
      discardBody(response.body);
      if (redirects >= maxRedirects) {
        throw new HttpError(
          "FD241",
          `${describeUrl(first.url)} redirected more than ${maxRedirects} times (max_redirects).`,
        );
      }
      try {
        hop = nextHop(hop, response.statusCode, location);
      } catch (error) {
        throw atHop(error, signal, redirects + 1, hop.url, false);
      }
    }
  }

  return {
    async request(request) {
      const timeoutMs = Math.min(
        positiveOr(request.timeoutMs, settings.defaultTimeoutMs),
        settings.maxTimeoutMs,
      );
      const maxResponseBytes = Math.min(
        positiveOr(request.maxResponseBytes, settings.maxResponseBytesLimit),
        settings.maxResponseBytesLimit,
      );
      const first = firstHop(request);
      const deadline = startDeadline(timeoutMs, request.signal);
      try {
        return await send(request, first, deadline.signal, maxResponseBytes);
      } catch (error) {
        // Which signal fired decides the error, whatever undici wrapped it in on the way out.
        if (deadline.timedOut()) {
          throw new HttpError(
            "FD243",
            `${describeUrl(first.url)} gave no complete answer within ${timeoutMs} ms.`,
          );
        }
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        throw error;
      } finally {
        deadline.dispose();
      }
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(),
  };
}
