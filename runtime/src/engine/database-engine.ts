import { createBuiltinRegistry, type NodeRegistry } from "@flowdeck/node-library";
import { builtinExecutors } from "@flowdeck/node-library/runtime";
import type {
  Logger,
  ModelGateway,
  NodeExecutor,
  SafeHttpClient,
  TenantView,
} from "@flowdeck/node-library/runtime";
import type { Workflow } from "@flowdeck/schemas";
import { createDomainServices } from "../domain/domain-services";
import { createSafeHttpClient } from "../http/safe-http-client";
import { createModelGateway } from "../models/model-gateway";
import type { Database } from "../store/database";
import { createRunStore, type SqlRunStore } from "../store/sql-run-store";
import { createConversationMemoryStore } from "../store/conversation-memory-store";
import { getTenant } from "../store/tenant-store";
import { createEngine, type Engine } from "./engine";
import { silentLogger, type EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import type { RunEvent, RunRecord } from "./run-types";

export interface DatabaseEngineOptions {
  readonly db: Database;
  /** Finds subflows; the server passes published versions, the CLI a folder's files. */
  readonly resolveWorkflow: EngineDeps["resolveWorkflow"];
  /** Built-ins when absent; pass a registry with third-party packages `use`d. */
  readonly registry?: NodeRegistry;
  /** Executors besides the built-ins (third-party node types), by type. */
  readonly executors?: Readonly<Record<string, NodeExecutor>>;
  /** The tenant's model gateway; by default OPENAI_API_KEY / OPENAI_BASE_URL, or the offline provider. */
  readonly models?: (tenantId: string) => ModelGateway;
  /** The tenant's HTTP client; by default one client for everyone that refuses every internal address. */
  readonly http?: (tenantId: string) => SafeHttpClient;
  /** The tenant's stored credentials for tools; none by default (a step naming one fails FD252). */
  readonly credentials?: EngineDeps["credentials"];
  readonly log?: Logger;
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
  readonly afterStep?: EngineDeps["afterStep"];
  readonly sleep?: EngineDeps["sleep"];
}

export interface DatabaseEngine {
  readonly engine: Engine;
  readonly store: SqlRunStore;
  readonly registry: NodeRegistry;
}

/** The engine wired to a database: run store, tenant-scoped domain services, models, safe HTTP. */
export function createDatabaseEngine(options: DatabaseEngineOptions): DatabaseEngine {
  const registry = options.registry ?? createBuiltinRegistry();
  const store = createRunStore(options.db);
  const log = options.log ?? silentLogger;
  const defaultModels = createModelGateway({ log });
  const models = options.models ?? (() => defaultModels);
  const sharedHttp = createSafeHttpClient();
  const http = options.http ?? (() => sharedHttp);
  const tenants = createTenantCache(options.db);
  const engine = createEngine({
    store,
    registry,
    executors: { ...builtinExecutors, ...options.executors },
    resolveWorkflow: options.resolveWorkflow,
    models,
    http,
    services: (tenantId, origin) => createDomainServices(options.db, tenantId, origin),
    conversationMemory: createConversationMemoryStore(options.db),
    tenant: (tenantId) => tenants.get(tenantId),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    log,
    ...(options.onEvents ? { onEvents: options.onEvents } : {}),
    ...(options.afterStep ? { afterStep: options.afterStep } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  return { engine, store, registry };
}

/** A resolver over a fixed set of workflows (files in the CLI, fixtures in tests). */
export function resolveFrom(get: (name: string) => Workflow | undefined): EngineDeps["resolveWorkflow"] {
  return async (_tenantId, name) => get(name);
}

const TENANT_CACHE_TTL_MS = 60_000;

/**
 * Tenant names change rarely and every activation needs one (templates read `tenant.name`); caching them saves
 * a read transaction per activation. A rename shows within a minute.
 */
function createTenantCache(db: Database): { get(tenantId: string): Promise<TenantView> } {
  const cache = new Map<string, { view: TenantView; expiresAt: number }>();
  return {
    async get(tenantId) {
      const hit = cache.get(tenantId);
      if (hit && hit.expiresAt > Date.now()) return hit.view;
      const tenant = await getTenant(db, tenantId);
      if (!tenant) throw new EngineError("FD206", `Tenant ${tenantId} was not found.`);
      const view = { id: tenant.id, name: tenant.name };
      if (cache.size > 10_000) cache.clear();
      cache.set(tenantId, { view, expiresAt: Date.now() + TENANT_CACHE_TTL_MS });
      return view;
    },
  };
}
