import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastPath } from "./http-server";
import { context } from "@opentelemetry/api";
import { ApiError } from "../kit/api-error";
import type { Logger } from "../kit/logger";
import { acceptedRequestId } from "../kit/request-id";
import type { AppMetrics } from "../metrics/app-metrics";
import { observeHttpAnswer } from "../metrics/http-metrics";
import { toApiError } from "./error-handler";
import { logRequest } from "./request-log";
import { finishHttpSpan, startHttpSpan } from "../telemetry/http-tracing";
import { MESSAGE_ID_HEADER, SIGNATURE_HEADER } from "../webhooks/webhook-signature";
import type { AnswerWebhookCall } from "../webhooks/webhook-call";

export interface WebhookFastPathOptions {
  readonly answer: AnswerWebhookCall;
  readonly log: Logger;
  readonly metrics: AppMetrics;
  readonly bodyLimitBytes: number;
  /** What every answer carries (app/security-headers.ts), as Express's middleware would set it. */
  readonly securityHeaders: ReadonlyArray<readonly [string, string]>;
}

const ROUTE = "/webhooks/:id";
// The route's id as Express's `:id` check admits it (create-app.ts); anything else (a trailing slash, `%2f`, a
// second segment) goes to Express and gets its 404.
const WEBHOOK_PATH = /^\/webhooks\/([A-Za-z0-9][A-Za-z0-9._-]{0,199})(?:\?|$)/;
// What Express's JSON parser reads as UTF-8 text with nothing to decode first; any other type, charset or
// encoding goes to Express, which reads or refuses it as it always did.
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/**
 * `POST /webhooks/:id` without Express. A signed webhook is a machine calling at machine rates, and Express's
 * middleware chain, route scan and body parser cost as much CPU per call as the flow it runs (bench/CONTEXT.md).
 * This path takes only the plain case (POST, JSON as UTF-8 with a length or chunked body, no Origin: a server,
 * not a browser) and answers exactly as the Express route would: the same answer function (webhook-call.ts),
 * security headers, request id, request log, metrics and trace span, body limit and JSON errors
 * (webhook-fast-path.test.ts compares the two answer by answer).
 */
export function webhookFastPath(options: WebhookFastPathOptions): FastPath {
  // What every answer carries, as Express's middleware sets it (cors.ts always varies on Origin).
  const fixedHead = [
    ...options.securityHeaders.flat(),
    "Vary",
    "Origin",
    "Content-Type",
    "application/json; charset=utf-8",
  ];
  return (req, res) => {
    if (req.method !== "POST") return false;
    const match = WEBHOOK_PATH.exec(req.url ?? "");
    if (!match) return false;
    const { headers } = req;
    if (headers.origin !== undefined) return false;
    if (!PLAIN_JSON.test(headers["content-type"] ?? "")) return false;
    const encoding = headers["content-encoding"];
    if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
    if (headers["content-length"] === undefined && headers["transfer-encoding"] === undefined) return false;
    serve(options, fixedHead, req, res, match[1]!);
    return true;
  };
}

function serve(
  options: WebhookFastPathOptions,
  fixedHead: readonly string[],
  req: IncomingMessage,
  res: ServerResponse,
  channelId: string,
) {
  const startedAt = process.hrtime.bigint();
  const requestId = acceptedRequestId(headerText(req, "x-request-id"));
  const url = req.url ?? "";
  const { span, within } = startHttpSpan("POST", url, req.headers, "http");
  const recording = span.isRecording();
  if (recording) {
    // A dropped connection never finishes: end the span anyway.
    res.on("close", () => {
      if (!res.writableFinished) span.end();
    });
  }

  const answer = (status: number, body: unknown, extra?: Readonly<Record<string, string>>) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    // One writeHead with a flat list: setHeader per header (a map entry and checks for each) was 7 % of a call.
    const head = [...fixedHead, "X-Request-Id", requestId, "Content-Length", String(Buffer.byteLength(text))];
    if (extra) for (const [name, value] of Object.entries(extra)) head.push(name, value);
    res.writeHead(status, head);
    res.end(text);
    observeHttpAnswer(options.metrics, "POST", ROUTE, status, startedAt);
    logRequest(options.log, { requestId, method: "POST", url, status, startedAt, tenantId: undefined });
    if (recording) finishHttpSpan(span, { method: "POST", route: ROUTE, status, tenantId: undefined });
  };
  const fail = (error: unknown) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      options.log.error("request failed", {
        requestId,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
    }
    answer(apiError.status, apiError.toBody(), apiError.headers);
  };

  const handle = async () => {
    const raw = await readBody(req, options.bodyLimitBytes);
    const { status, body } = await options.answer({
      channelId,
      signature: headerText(req, SIGNATURE_HEADER),
      messageId: headerText(req, MESSAGE_ID_HEADER),
      raw,
      body: parseJson(raw),
    });
    answer(status, body);
  };
  const served = () => handle().catch(fail);
  if (recording) void context.with(within, served);
  else void served();
}

function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The body's bytes, up to the limit. Like Express's parser, a body over the limit is read off to its end before
 * the 413, so the connection stays usable for the sender's next call.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    let tooLarge = Number.isFinite(declared) && declared > limitBytes;
    const chunks: Buffer[] = [];
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) reject(new ApiError("FD302", "The request body is too large."));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on("error", reject);
    // A sender that hangs up mid-body gets no answer; the error only ends this request's work.
    req.on("close", () => {
      if (!req.complete) reject(new ApiError("FD301", "The request body could not be read."));
    });
  });
}

/** JSON as Express's strict parser reads it: an empty body is `{}`, and the text must open an object or array. */
function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  let text = raw.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let first = 0;
  while (first < text.length && WHITESPACE.has(text[first]!)) first += 1;
  const opening = text[first];
  try {
    if (opening !== "{" && opening !== "[") throw new SyntaxError("not an object or array");
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("FD301", "The request body is not valid JSON.");
  }
}
