import type { Workflow } from "@flowdeck/schemas";
import type { NodeRegistry } from "@flowdeck/node-library";
import type {
  CredentialVault,
  DomainServices,
  Logger,
  ModelGateway,
  NodeExecutor,
  SafeHttpClient,
  TenantView,
} from "@flowdeck/node-library/runtime";
import type { RunOrigin } from "../domain/run-origin";
import type { ModelPrice } from "../models/price-table";
import type { RunStore } from "../store/run-store";
import type { ConversationMemoryStore } from "../store/conversation-memory-store";
import type { RunEvent, RunRecord } from "./run-types";

export interface EngineDeps {
  readonly store: RunStore;
  /** Node definitions: config schemas (defaults), ports. */
  readonly registry: NodeRegistry;
  readonly executors: Readonly<Record<string, NodeExecutor>>;
  /** Finds a subflow by name for the tenant (a published version in the server, a file next to it in the CLI). */
  readonly resolveWorkflow: (
    tenantId: string,
    name: string,
    version: number | "latest",
  ) => Promise<Workflow | undefined>;
  readonly models: (tenantId: string) => ModelGateway;
  /**
   * Model prices in USD per 1M tokens, merged over the price table's defaults (`DEFAULT_PRICES`): what local
   * routing saved is priced with them (routing-savings.ts). Pass the same table the model gateway prices with.
   */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /**
   * The tenant's HTTP client. Per tenant because allow-lists are: a pooled connection checked against one
   * tenant's list must never serve another's request.
   */
  readonly http: (tenantId: string) => SafeHttpClient;
  /** The tenant's stored credentials for tools (tool.http `auth`); none when absent. */
  readonly credentials?: (tenantId: string) => CredentialVault;
  /** The tenant's domain tools, for a step of the run `origin` (a captured lead keeps which run made it). */
  readonly services: (tenantId: string, origin?: RunOrigin) => DomainServices;
  /**
   * Conversation memory (`conversation.<name>`) kept between runs of a conversation; without it, memory lives
   * only as long as one run (conversation-memory.ts).
   */
  readonly conversationMemory?: ConversationMemoryStore;
  readonly tenant: (tenantId: string) => Promise<TenantView>;
  readonly log: Logger;
  /** Events after they are committed (messages to deliver, step trace), and live-only ones (`token`). */
  readonly onEvents?: (
    tenantId: string,
    runId: string,
    events: readonly RunEvent[],
    /** The run's conversation: channels route events by it. */
    conversationId: string,
    /**
     * The run as this commit stored it, built on demand (it copies the run's state, which only some listeners
     * need); call it during the callback. Absent for live-only events (`token`).
     */
    committed: (() => RunRecord) | undefined,
    /** `runs.channel` (`test` marks the editor's test runs, which /metrics labels apart from customers'). */
    channel: string,
  ) => void;
  /** Waits between retries; injectable so tests need not sleep. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Guards against loops the validator could not see (e.g. a counter that never reaches its bound). */
  readonly maxStepsPerActivation?: number;
  /** Deepest subflow nesting. */
  readonly maxSubflowDepth?: number;
  /** Test hook: called after each step is recorded and before anything is committed; may throw to "crash". */
  readonly afterStep?: (info: { runId: string; stepId: string; effect: boolean }) => void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
