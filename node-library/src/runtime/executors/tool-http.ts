import { STATUS_CODES } from "node:http";
import type { toolHttpNode } from "../../nodes/tool-http";
import type { ExecutionContext, HttpResponse, RetryableFailure } from "../context";
import type { NodeExecutor } from "../executor";

/**
 * Codes this executor adds to the safe HTTP client's FD240–FD249 (runtime/src/http/http-errors.ts); FD244
 * means the same here as there: the URL is unusable.
 */
export const TOOL_HTTP_ERRORS = {
  FD244:
    "The URL is not usable: it must render to an absolute http:// or https:// URL without a user name or password.",
  FD250:
    "The response is not valid JSON; set response_type: text, or check that the URL is the API endpoint.",
  FD251:
    "The server answered with an error status (400 or above); check the URL, the credentials and the request body.",
  FD252:
    "The credential named in `auth` is not stored in this workspace; add it under Settings → Credentials, or fix its name.",
} as const;

export type ToolHttpErrorCode = keyof typeof TOOL_HTTP_ERRORS;

/** A `tool.http` failure the engine keeps the code of; it takes the node's `error` port after its retries. */
export class ToolHttpError extends Error implements RetryableFailure {
  readonly hint: string;
  /**
   * Only FD251 with 408, 429 or 5xx: the server may answer otherwise later. Another 4xx, a bad URL or a body
   * that is not JSON come back the same on every try.
   */
  readonly retryable: boolean;
  constructor(
    readonly code: ToolHttpErrorCode,
    message: string,
    /** The response status, for FD250/FD251. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "ToolHttpError";
    this.hint = TOOL_HTTP_ERRORS[code];
    this.retryable =
      code === "FD251" && status !== undefined && (status === 408 || status === 429 || status >= 500);
  }
}

/** Scheme, host and path, with every query value replaced: query strings are where API keys usually sit. */
export function redactedUrl(url: URL): string {
  const names = [...new URLSearchParams(url.search).keys()];
  const query =
    names.length === 0 ? "" : `?${names.map((name) => `${encodeURIComponent(name)}=***`).join("&")}`;
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ToolHttpError("FD244", "The url template did not render to a valid absolute URL.");
  }
}

/**
 * Appends `key=value` pairs to the URL's own query, percent-encoding each. The existing query is kept byte for
 * byte (no round trip through URLSearchParams, which would re-encode it and break signed URLs).
 */
export function withQuery(url: URL, params: readonly (readonly [string, string])[]): URL {
  if (params.length === 0) return url;
  const added = params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const existing = url.search.length > 1 ? url.search.slice(1) : "";
  const next = new URL(url);
  next.search = [existing, ...added].filter((part) => part !== "").join("&");
  return next;
}

async function renderMap(
  ctx: ExecutionContext,
  templates: Readonly<Record<string, string>> | undefined,
): Promise<[string, string][]> {
  const rendered: [string, string][] = [];
  for (const [name, template] of Object.entries(templates ?? {}))
    rendered.push([name, await ctx.render(template)]);
  return rendered;
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls an external API through `ctx.http`, the client that checks every address it connects to (DESIGN.md
 * §5). Each template is rendered once with `ctx.render`; the rendered text, like the response, is data and
 * is never rendered again.
 *
 * Effects: POST, PUT, PATCH and DELETE change something elsewhere, so their result is committed before any
 * later step depends on it, and they carry the step's idempotency key (`Idempotency-Key`, unless the node
 * sets one) so a retried or recovered step lets the API drop the duplicate. GET is treated as safe (RFC 9110),
 * like the other read tools: re-running it after a crash repeats a read that nothing committed depended on.
 * A webhook that acts on GET should be called with POST.
 *
 * A status of 400 or above throws FD251, so the node's retries apply and then its `error` port, as its docs
 * promise; 3xx answers only arrive here when follow_redirects is off, and leave by `out`.
 */
export const toolHttpExecutor: NodeExecutor<typeof toolHttpNode> = async (ctx, config) => {
  const method = config.method ?? "GET";
  const responseType = config.response_type ?? "json";
  const base = parseUrl((await ctx.render(config.url)).trim());
  const url = withQuery(base, await renderMap(ctx, config.query));

  const headers: Record<string, string> = Object.fromEntries(await renderMap(ctx, config.headers));
  // GET and DELETE bodies have no defined meaning (RFC 9110) and some servers reject them: the node ignores them.
  const body =
    config.body === undefined || method === "GET" || method === "DELETE"
      ? undefined
      : await ctx.render(config.body);
  if (body !== undefined && !hasHeader(headers, "content-type")) {
    headers["Content-Type"] = looksLikeJson(body) ? "application/json" : "text/plain; charset=utf-8";
  }
  if (responseType === "json" && !hasHeader(headers, "accept")) headers.Accept = "application/json";
  if (method !== "GET" && !hasHeader(headers, "idempotency-key"))
    headers["Idempotency-Key"] = ctx.idempotencyKey;
  if (config.auth) {
    const secret = await ctx.credentials?.get(config.auth.credential);
    if (secret === undefined)
      throw new ToolHttpError(
        "FD252",
        `No credential named "${config.auth.credential}" is stored in this workspace.`,
      );
    // Set last, over any header of the same name, so a template cannot swap the credential out.
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === (config.auth.header ?? "Authorization").toLowerCase()) delete headers[name];
    headers[config.auth.header ?? "Authorization"] = `${config.auth.prefix ?? "Bearer "}${secret}`;
  }

  const response = await ctx.http.request({
    method,
    url: url.toString(),
    headers,
    ...(body !== undefined ? { body } : {}),
    timeoutMs: config.timeout_ms ?? 10_000,
    maxResponseBytes: config.max_response_bytes ?? 1_000_000,
    followRedirects: config.follow_redirects ?? true,
    maxRedirects: config.max_redirects ?? 5,
    signal: ctx.signal,
  });
  const shownUrl = redactedUrl(url);
  if (response.status >= 400) {
    const words = STATUS_CODES[response.status];
    throw new ToolHttpError(
      "FD251",
      `${method} ${shownUrl} answered ${response.status}${words ? ` ${words}` : ""}.`,
      response.status,
    );
  }
  return {
    output: {
      status: response.status,
      headers: response.headers,
      body: parseBody(response, responseType, shownUrl),
    },
    port: "out",
    effect: method !== "GET",
    details: { method, url: shownUrl, status: response.status, bytes: Buffer.byteLength(response.body) },
  };
};

function parseBody(response: HttpResponse, type: "json" | "text", shownUrl: string): unknown {
  if (type === "text") return response.body;
  // 204 No Content and empty 200s are common for writes: no body is not a parse error.
  if (response.body.trim() === "") return null;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    const contentType = response.headers["content-type"];
    throw new ToolHttpError(
      "FD250",
      `The response from ${shownUrl} is not valid JSON${contentType ? ` (Content-Type: ${contentType.slice(0, 60)})` : ""}.`,
      response.status,
    );
  }
}
