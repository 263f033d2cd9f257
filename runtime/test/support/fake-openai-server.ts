import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildAnswer, completionBody, streamChunks, type Answer } from "./fake-openai-answers";
import {
  embeddingBody,
  hashedEmbedding,
  readEmbeddingRequest,
  type FakeEmbedder,
  type FakeEmbeddingRequest,
} from "./fake-openai-embeddings";
import type { FakeMessage, FakeReply, FakeRequest, FakeResponder } from "./fake-openai-types";

export type { FakeMessage, FakeReply, FakeRequest, FakeResponder, FakeToolCall } from "./fake-openai-types";
export type { FakeEmbedder, FakeEmbeddingRequest } from "./fake-openai-embeddings";

/**
 * An OpenAI-compatible chat-completions server on loopback, so tests exercise the real `openai` client
 * (DESIGN.md §6). Answers come from, in order: the scripted queue (`script`), the responder (`onRequest`),
 * the `defaultReply` option, else a 400 that names the unscripted request (non-retryable, so a missing script
 * fails a test at once instead of tripping retries and breakers).
 */

export interface FakeOpenAiServerOptions {
  /** Used when the queue is empty and the responder has no answer. */
  readonly defaultReply?: FakeReply | FakeResponder;
}

export class FakeOpenAiServer {
  /** Every chat-completions request received, in order. */
  readonly requests: FakeRequest[] = [];
  /** Every POST /v1/embeddings, in order (kept apart so chat assertions stay as they were). */
  readonly embeddingRequests: FakeEmbeddingRequest[] = [];
  private embedder: FakeEmbedder = hashedEmbedding;
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

  /** How /v1/embeddings turns a text into a vector; default a hashed bag of words. */
  onEmbed(embedder: FakeEmbedder | undefined): this {
    this.embedder = embedder ?? hashedEmbedding;
    return this;
  }

  /** Scripted replies not used yet: assert 0 at the end of a conversation. */
  pending(): number {
    return this.queue.length;
  }

  /** Forgets requests, the queue and the responder (the default reply stays). */
  reset(): void {
    this.requests.length = 0;
    this.embeddingRequests.length = 0;
    this.queue.length = 0;
    this.responder = undefined;
    this.embedder = hashedEmbedding;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method === "POST" && path === "/v1/embeddings") {
      this.embed(raw, res);
      return;
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      sendError(
        res,
        404,
        `fake-openai-server only serves POST /v1/chat/completions and /v1/embeddings, not ${req.method} ${path}.`,
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

  private embed(raw: string, res: ServerResponse): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendError(res, 400, "The request body is not JSON.");
      return;
    }
    const request = readEmbeddingRequest(body);
    if (typeof request === "string") {
      sendError(res, 400, request);
      return;
    }
    this.embeddingRequests.push(request);
    sendJson(res, 200, embeddingBody(request, this.embedder));
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
