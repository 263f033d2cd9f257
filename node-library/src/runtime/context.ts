import type { JsonSchema } from "@flowdeck/schemas";

/**
 * What an executor may touch, passed explicitly (DESIGN.md §3). The runtime package implements every
 * interface here; executors depend only on these shapes, so they can be tested with small fakes and never
 * reach a database, a socket or a model except through the tenant-bound handles they are given.
 */

export interface ChatTurn {
  readonly role: "customer" | "assistant" | "agent";
  readonly text: string;
  /** ISO 8601 */
  readonly at?: string;
}

export interface ConversationView {
  readonly id: string;
  /** `web`, `http`, `webhook`, `cli`, `test` … */
  readonly channel: string;
  /** Oldest first; includes the message that started or resumed this run. */
  readonly history: readonly ChatTurn[];
  /** The customer's latest message (`input.message` stays the one that started the run). */
  readonly last_message?: string;
  /**
   * The customer has seen the conversation's greeting (sent when the chat opened, or by an earlier run): a
   * start node greets only when this is not set, so a conversation is greeted once.
   */
  readonly greeted?: boolean;
  /**
   * Conversation memory (`conversation.<name>`): values a `set` node stored under `conversation`, kept with the
   * conversation and loaded into every later run of it (the order being discussed, the customer's email).
   */
  readonly [memory: string]: unknown;
}

export interface TenantView {
  readonly id: string;
  readonly name: string;
}

/** What templates and conditions read: `{ input, vars, nodes.<name>.output, conversation, tenant }`. */
export interface RunScope {
  readonly input: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly nodes: Readonly<Record<string, { readonly output: unknown }>>;
  readonly conversation: ConversationView;
  readonly tenant: TenantView;
  /**
   * Entities the flow declares, as found in this run's customer messages (the latest value of each wins):
   * `entities.order_id`, `entities.email` … Absent where the engine extracts none (tests, tools).
   */
  readonly entities?: Readonly<Record<string, unknown>>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// ── models ──────────────────────────────────────────────────────────────────────────────────────────────

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
  /** For `role: "tool"`: the call this message answers. */
  readonly toolCallId?: string;
  /** For `role: "assistant"` when the model asked for tools. */
  readonly toolCalls?: readonly ToolCall[];
}

export interface ToolSpec {
  /** The tool node's name in the workflow. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments the model must supply. */
  readonly parameters: JsonSchema;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** Parsed JSON arguments. */
  readonly arguments: Record<string, unknown>;
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** From the price table; 0 for the offline provider. */
  readonly costUsd: number;
}

export interface ModelRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly tools?: readonly ToolSpec[];
  /** Ask for a JSON answer matching this schema (structured output); the parsed value comes back as `data`. */
  readonly responseSchema?: { readonly name: string; readonly schema: JsonSchema };
  /** What the offline provider answers (the node's rendered fallback template). */
  readonly offlineText?: string;
}

export interface ModelResponse {
  readonly text: string;
  readonly data?: unknown;
  readonly toolCalls: readonly ToolCall[];
  readonly usage: TokenUsage;
  readonly model: string;
  readonly provider: string;
  /** True when the built-in offline provider answered: the UI labels such answers. */
  readonly offline: boolean;
}

export interface ModelCallOptions {
  readonly signal: AbortSignal;
  /** Streamed text as it arrives; the engine turns it into `token` run events. */
  readonly onToken?: (text: string) => void;
}

export interface EmbeddingRequest {
  readonly model: string;
  /** Texts to embed, in order; one vector each comes back. */
  readonly input: readonly string[];
}

export interface EmbeddingResponse {
  /** One vector per input text, in input order. */
  readonly vectors: readonly (readonly number[])[];
  /** Embeddings bill prompt tokens only; `completionTokens` is 0. */
  readonly usage: TokenUsage;
  readonly model: string;
  readonly provider: string;
}

export interface ModelGateway {
  /** `openai` or `offline`: which provider answers when a node names no other. */
  readonly provider: string;
  readonly offline: boolean;
  complete(request: ModelRequest, options: ModelCallOptions): Promise<ModelResponse>;
  /**
   * The OpenAI-compatible embeddings API. Absent when the provider has none (the offline provider): callers
   * skip what needs it.
   */
  embed?(request: EmbeddingRequest, options: { readonly signal: AbortSignal }): Promise<EmbeddingResponse>;
}

// ── http ────────────────────────────────────────────────────────────────────────────────────────────────

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Refuses private, loopback, link-local and metadata addresses at connect time and on every redirect. */
export interface SafeHttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

// ── domain services (tenant tables) ────────────────────────────────────────────────────────────────────

export interface KbHit {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** 0–1 */
  readonly score: number;
}

export interface Order {
  readonly id: string;
  readonly status: string;
  readonly customer_email: string;
  readonly items: readonly { readonly sku: string; readonly name: string; readonly quantity: number }[];
  readonly total: number;
  readonly currency: string;
  readonly shipping_address: string;
  readonly estimated_delivery: string | null;
  readonly tracking_url: string | null;
  readonly created_at: string;
}

export type OrderAction = "cancel" | "change_address" | "request_return" | "update_status";

export interface OrderUpdate {
  readonly orderId: string;
  /** The second factor: the order is changed only when this is its email (case-insensitive). */
  readonly customerEmail: string;
  readonly action: OrderAction;
  readonly status?: string;
  readonly address?: string;
  readonly reason?: string;
}

export interface LeadInput {
  readonly email: string;
  readonly name?: string;
  readonly company?: string;
  readonly phone?: string;
  readonly interest?: string;
  readonly source: string;
  readonly notes?: string;
}

export interface TicketInput {
  readonly subject: string;
  readonly description: string;
  readonly priority: "low" | "medium" | "high" | "urgent";
  readonly category?: string;
  readonly customerEmail?: string;
}

/**
 * The domain tools' view of the tenant's tables. Every method runs in a transaction that sets
 * `app.tenant_id`, so RLS scopes it. Effectful methods take the step's `idempotencyKey`: a repeated key
 * returns the first call's result and writes nothing.
 */
export interface DomainServices {
  searchKnowledgeBase(query: {
    readonly query: string;
    readonly limit: number;
    readonly category?: string;
    readonly minScore: number;
  }): Promise<readonly KbHit[]>;
  /**
   * The order with this number AND this email. Either blank or not matching: undefined, the same answer as
   * for a number that does not exist, so a guess reveals nothing.
   */
  lookupOrder(query: {
    readonly orderId: string;
    readonly customerEmail: string;
  }): Promise<Order | undefined>;
  updateOrder(
    update: OrderUpdate,
    idempotencyKey: string,
  ): Promise<{ readonly updated: boolean; readonly reason?: string; readonly order: Order | undefined }>;
  captureLead(
    lead: LeadInput,
    idempotencyKey: string,
  ): Promise<{ readonly leadId: string; readonly created: boolean }>;
  createTicket(
    ticket: TicketInput,
    idempotencyKey: string,
  ): Promise<{ readonly ticketId: string; readonly created: boolean }>;
}

// ── the context ─────────────────────────────────────────────────────────────────────────────────────────

/** A run event an executor may add (streamed tokens); the engine adds the step events itself. */
export interface ExecutorEvent {
  readonly type: "token";
  readonly text: string;
}

/**
 * What an executor's thrown error may say about itself: whether the engine should spend the node's
 * `retry.attempts` on it. Permanent failures (a refused host, a 4xx other than 408/429, bad config, a template
 * error) set `false`, and the step fails at once; an error without the property is retried.
 */
export interface RetryableFailure {
  readonly retryable: boolean;
}

/** A tenant's named secrets for tools, opened when a step needs one. */
export interface CredentialVault {
  /** The value, or undefined when the workspace has no credential of that name. */
  get(name: string): Promise<string | undefined>;
}

export interface ExecutionContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly tenant: TenantView;
  readonly runId: string;
  /** Stable across retries and crash recovery: `<flow path>/<node>#<visit>`. */
  readonly stepId: string;
  /** `runId:stepId`; side-effecting services enforce it. */
  readonly idempotencyKey: string;
  readonly node: { readonly name: string; readonly type: string };
  /** 1 for the first try, 2 for the first retry … */
  readonly attempt: number;
  readonly scope: RunScope;
  readonly models: ModelGateway;
  readonly http: SafeHttpClient;
  readonly services: DomainServices;
  /**
   * The tenant's stored credentials (API tokens for its own systems), by name; absent where none are kept
   * (the CLI). A credential's value never enters the scope, a template or a step record.
   */
  readonly credentials?: CredentialVault;
  /** Renders a Liquid template against the scope. Output is text; it is never rendered a second time. */
  render(template: string, extra?: Record<string, unknown>): Promise<string>;
  /** Evaluates a CEL expression against the scope plus `extra` (e.g. `answer`). */
  evaluate(expression: string, extra?: Record<string, unknown>): unknown;
  emit(event: ExecutorEvent): void;
  /** Present when a waiting node (ask, handoff) is re-entered with the customer's or the human's answer. */
  readonly resume?: ResumeInput;
  /** Tool nodes an agent may call, described for the model, and a way to run one of them. */
  readonly tools: ToolInvoker;
}

export type ResumeInput =
  | {
      readonly kind: "message";
      readonly text: string;
      /** The flow's entities found in this message (set by the engine, never stored with the request). */
      readonly entities?: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: "handback"; readonly agentReply?: string; readonly resolved: boolean };

/**
 * What became of one tool call. `refused`: nothing ran (a tool the agent does not list, the step's cap reached);
 * `code` (FD2xx) and `message` are what the model is told. A tool that ran and failed still throws.
 */
export type ToolCallResult =
  | { readonly status: "completed"; readonly output: unknown }
  | { readonly status: "refused"; readonly code: string; readonly message: string };

/**
 * The tools of one agent step. The runtime builds it from the agent node's own `tools` list and caps, so an
 * executor cannot widen either: a name outside the list is refused however it is asked for.
 */
export interface ToolInvoker {
  /** Specs of the listed tools among `names` (names the agent does not list are left out). */
  describe(names: readonly string[]): readonly ToolSpec[];
  /** Runs the named tool node with arguments from the model, as a step of its own, or refuses it. */
  invoke(name: string, args: Record<string, unknown>): Promise<ToolCallResult>;
}
