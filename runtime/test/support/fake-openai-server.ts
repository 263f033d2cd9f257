import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible chat-completions server on loopback, so tests exercise the real `openai` client
 * (DESIGN.md §6). Answers come from, in order: the scripted queue (`script`), the responder (`onRequest`),
 * the `defaultReply` option, else a 400 that names the unscripted request (non-retryable, so a missing script
 * fails a test at once instead of tripping retries and breakers).
 */

export interface FakeToolCall {
  /** Default `call_<request>_<index>`. */
  readonly id?: string;
  readonly name: string;
  /** An object is sent as JSON; a string is sent as it is (to test malformed arguments). */
  readonly arguments?: Record<string, unknown> | string;
}

export interface FakeReply {
  /** The assistant's text. */
  readonly text?: string;
  /** Tool calls the model asks for (streamed as deltas too). */
  readonly toolCalls?: readonly FakeToolCall[];
  /** Structured output: sent as the assistant's text, `JSON.stringify(json)`. */
  readonly json?: unknown;
  readonly refusal?: string;
  /** Default: estimated from the request and the answer (about 4 characters per token). */
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  readonly finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  /** The model reported back; default the requested one. */
  readonly model?: string;
  /** Answer with this HTTP error status instead (429, 500, 401 …). */
  readonly status?: number;
  /** The error's message; a 401 defaults to one that quotes the key (as some services do), to test redaction. */
  readonly errorMessage?: string;
  readonly retryAfterSeconds?: number;
  readonly retryAfterMs?: number;
  /** Sent as an HTTP date in `retry-after`. */
  readonly retryAfterDate?: Date;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before sending anything (a slow model). */
  readonly delayMs?: number;
  /** Wait between streamed chunks. */
  readonly chunkDelayMs?: number;
  /** Destroy the connection without answering (a connection reset). */
  readonly dropConnection?: boolean;
  /** Stream this many chunks, then destroy the connection. */
  readonly dropAfterChunks?: number;
}

export interface FakeMessage {
  readonly role: string;
  readonly content?: string | null;
  readonly tool_calls?: ReadonlyArray<{ id: string; function: { name: string; arguments: string } }>;
  readonly tool_call_id?: string;
}

export interface FakeRequest {
  /** 0-based arrival order. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body as sent. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly FakeMessage[];
  /** Content of the last `user` message, "" if none: what a responder usually matches on. */
  readonly lastUserMessage: string;
  /** Names of the tools offered. */
  readonly toolNames: readonly string[];
  /** Messages answering tool calls (`role: "tool"`), i.e. the tool results the model is given. */
  readonly toolResults: readonly FakeMessage[];
}

export type FakeResponder = (request: FakeRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeOpenAiServerOptions {
  /** Used when the queue is empty and the responder has no answer. */
  readonly defaultReply?: FakeReply | FakeResponder;
}

export class FakeOpenAiServer {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private responder: FakeResponder | undefined;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  constructor(private readonly options: FakeOpenAiServerOptions = {}) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, `fake-openai-server crashed: ${String(error)}`);
        else res.destroy();
      });
    });
  }

  /** Base URL for the client, `http://127.0.0.1:PORT/v1`. */
  get url(): string {
    if (!this.port) throw new Error("FakeOpenAiServer: call start() before reading url.");
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Appends replies, used one per request in order. */
  script(replies: readonly FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers requests once the scripted queue is empty; return undefined to fall through to the default. */
  onRequest(responder: FakeResponder | undefined): this {
    this.responder = responder;
    return this;
  }

  /** Scripted replies not used yet: assert 0 at the end of a conversation. */
  pending(): number {
    return this.queue.length;
  }

  /** Forgets requests, the queue and the responder (the default reply stays). */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.responder = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      sendError(
        res,
        404,
        `fake-openai-server only serves POST /v1/chat/completions, not ${req.method} ${path}.`,
      );
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendError(res, 400, "The request body is not JSON.");
      return;
    }
    const request = toFakeRequest(this.requests.length, req, path, body);
    this.requests.push(request);
    const reply = await this.replyFor(request);
    if (reply.delayMs) await this.sleep(reply.delayMs, res);
    if (isGone(res)) return;
    if (reply.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (reply.status !== undefined && reply.status >= 400) {
      sendError(res, reply.status, errorMessage(reply, request), retryHeaders(reply));
      return;
    }
    const answer = buildAnswer(reply, request);
    if (request.stream) await this.stream(res, req, reply, answer, request);
    else sendJson(res, 200, completionBody(answer), reply.headers);
  }

  private async replyFor(request: FakeRequest): Promise<FakeReply> {
    const scripted = this.queue.shift();
    if (scripted) return scripted;
    const answered = this.responder ? await this.responder(request) : undefined;
    if (answered) return answered;
    const fallback = this.options.defaultReply;
    const defaulted = typeof fallback === "function" ? await fallback(request) : fallback;
    if (defaulted) return defaulted;
    return {
      status: 400,
      errorMessage: `fake-openai-server: no scripted reply for request #${request.index} (last user message: ${JSON.stringify(request.lastUserMessage.slice(0, 120))}).`,
    };
  }

  private async stream(
    res: ServerResponse,
    req: IncomingMessage,
    reply: FakeReply,
    answer: Answer,
    request: FakeRequest,
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      ...reply.headers,
    });
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    const chunks = streamChunks(answer, options?.include_usage === true);
    for (const [index, chunk] of chunks.entries()) {
      if (reply.dropAfterChunks !== undefined && index >= reply.dropAfterChunks) {
        // Let what was written reach the client first: destroy() discards unflushed writes.
        await new Promise<void>((resolve) => res.write("", () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 20));
        req.socket.destroy();
        return;
      }
      if (index > 0 && reply.chunkDelayMs) await this.sleep(reply.chunkDelayMs, res);
      if (isGone(res)) return;
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  }

  // Ends early when the client goes away or the server closes, so close() never waits on a slow reply.
  private sleep(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.timers.add(timer);
      res.once("close", done);
    });
  }
}

/** Creates and starts a server: `const server = await startFakeOpenAiServer();`. */
export async function startFakeOpenAiServer(options?: FakeOpenAiServerOptions): Promise<FakeOpenAiServer> {
  return new FakeOpenAiServer(options).start();
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────────────

interface Answer {
  readonly id: string;
  readonly model: string;
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: ReadonlyArray<{ id: string; name: string; arguments: string }>;
  readonly finishReason: string;
  readonly usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function buildAnswer(reply: FakeReply, request: FakeRequest): Answer {
  const content = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? null);
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${request.index}_${index}`,
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const promptChars = request.messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0);
  const answerChars =
    (content?.length ?? 0) +
    toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  const promptTokens = reply.usage?.promptTokens ?? Math.ceil(promptChars / 4) + 4 * request.messages.length;
  const completionTokens = reply.usage?.completionTokens ?? Math.max(1, Math.ceil(answerChars / 4));
  return {
    id: `chatcmpl-fake-${request.index}`,
    model: reply.model ?? request.model,
    content: content ?? (toolCalls.length > 0 || reply.refusal ? null : ""),
    refusal: reply.refusal ?? null,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

const CREATED = 1_700_000_000;

function completionBody(answer: Answer): unknown {
  return {
    id: answer.id,
    object: "chat.completion",
    created: CREATED,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          refusal: answer.refusal,
          ...(answer.toolCalls.length > 0
            ? {
                tool_calls: answer.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        finish_reason: answer.finishReason,
        logprobs: null,
      },
    ],
    usage: answer.usage,
  };
}

function streamChunks(answer: Answer, includeUsage: boolean): unknown[] {
  const base = { id: answer.id, object: "chat.completion.chunk", created: CREATED, model: answer.model };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  const chunks: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of answer.content?.match(/\s*\S+\s*/g) ?? []) chunks.push(chunk({ content: piece }));
  if (answer.refusal) chunks.push(chunk({ refusal: answer.refusal }));
  answer.toolCalls.forEach((call, index) => {
    const start = { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
    chunks.push(chunk({ tool_calls: [start] }));
    // Split the arguments in three, as real services cut them anywhere, even inside a string.
    const third = Math.ceil(call.arguments.length / 3) || 1;
    for (let at = 0; at < call.arguments.length; at += third) {
      const fragment = call.arguments.slice(at, at + third);
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, answer.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: answer.usage });
  return chunks;
}

// ── requests and errors ─────────────────────────────────────────────────────────────────────────────────

function toFakeRequest(
  index: number,
  req: IncomingMessage,
  path: string,
  body: Record<string, unknown>,
): FakeRequest {
  const messages = Array.isArray(body.messages) ? (body.messages as FakeMessage[]) : [];
  const lastUser = [...messages].reverse().find((message) => message.role === "user");
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: { name?: string } }>) : [];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    index,
    method: req.method ?? "",
    path,
    headers,
    body,
    model: typeof body.model === "string" ? body.model : "",
    stream: body.stream === true,
    messages,
    lastUserMessage: typeof lastUser?.content === "string" ? lastUser.content : "",
    toolNames: tools.map((tool) => tool.function?.name ?? ""),
    toolResults: messages.filter((message) => message.role === "tool"),
  };
}

function errorMessage(reply: FakeReply, request: FakeRequest): string {
  if (reply.errorMessage) return reply.errorMessage;
  if (reply.status === 401) {
    const key = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    return `Incorrect API key provided: ${key}.`;
  }
  if (reply.status === 429) return "Rate limit reached for requests.";
  return `The fake server answered ${reply.status}.`;
}

function retryHeaders(reply: FakeReply): Record<string, string> {
  return {
    ...(reply.retryAfterSeconds !== undefined ? { "retry-after": String(reply.retryAfterSeconds) } : {}),
    ...(reply.retryAfterMs !== undefined ? { "retry-after-ms": String(reply.retryAfterMs) } : {}),
    ...(reply.retryAfterDate ? { "retry-after": reply.retryAfterDate.toUTCString() } : {}),
    ...reply.headers,
  };
}

function errorType(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status === 401 || status === 403) return "authentication_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

type HeaderMap = Readonly<Record<string, string>>;

function sendError(res: ServerResponse, status: number, message: string, headers: HeaderMap = {}): void {
  sendJson(res, status, { error: { message, type: errorType(status), param: null, code: null } }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}): void {
  const requestId = `req_fake_${Date.now()}`;
  res.writeHead(status, { "content-type": "application/json", "x-request-id": requestId, ...headers });
  res.end(JSON.stringify(body));
}

function isGone(res: ServerResponse): boolean {
  return res.destroyed || !res.socket || res.socket.destroyed;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}
