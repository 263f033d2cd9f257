/** What tests script and what the fake OpenAI server records (fake-openai-server.ts). */

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
