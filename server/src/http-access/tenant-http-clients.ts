import type { SafeHttpClient } from "@flowdeck/node-library/runtime";
import { createSafeHttpClient, type Database } from "@flowdeck/runtime";
import { allowListChangedSince, loadAllowListEntries } from "./allow-list-store";

/** How long a process trusts a tenant's list it read; a change made in this process applies at once. */
export const ALLOW_LIST_TTL_MS = 5_000;

export interface TenantHttpClientsOptions {
  readonly db: Database;
  /**
   * The operator's list for every tenant (FLOWDECK_HTTP_ALLOW_LIST): an internal service the whole deployment
   * may call. Checked at start (parseOperatorAllowList).
   */
  readonly operatorAllowList?: readonly string[];
  readonly userAgent?: string;
  readonly ttlMs?: number;
}

export interface TenantHttpClients {
  /** The tenant's client: its allow-list (and the operator's) beyond the public internet, nothing more. */
  forTenant(tenantId: string): SafeHttpClient;
  close(): Promise<void>;
}

interface Entry {
  readonly readAtMs: number;
  readonly key: string;
  readonly client: ReturnType<typeof createSafeHttpClient>;
}

/**
 * One safe HTTP client per distinct allow-list, picked per request: the engine asks for a tenant's client
 * synchronously, the list lives in PostgreSQL, so the client the engine gets looks the list up (cached for
 * `ttlMs`) when a request is made. Tenants with the same list share a pool; a client whose list changed is
 * closed once its requests finish. The SSRF rules for anything not listed, and the refusal of metadata
 * addresses even when listed, are the runtime client's (runtime/src/http/safe-target.ts).
 */
export function createTenantHttpClients(options: TenantHttpClientsOptions): TenantHttpClients {
  const ttlMs = options.ttlMs ?? ALLOW_LIST_TTL_MS;
  const operator = options.operatorAllowList ?? [];
  const byTenant = new Map<string, Entry>();
  const byList = new Map<string, { client: Entry["client"]; users: number }>();
  const facades = new Map<string, SafeHttpClient>();

  function clientFor(entries: readonly string[]): { key: string; client: Entry["client"] } {
    const list = [...new Set([...operator, ...entries])].sort();
    const key = JSON.stringify(list);
    let shared = byList.get(key);
    if (!shared) {
      shared = {
        client: createSafeHttpClient({
          allowList: list,
          ...(options.userAgent ? { userAgent: options.userAgent } : {}),
        }),
        users: 0,
      };
      byList.set(key, shared);
    }
    shared.users += 1;
    return { key, client: shared.client };
  }

  function release(key: string): void {
    const shared = byList.get(key);
    if (!shared) return;
    shared.users -= 1;
    if (shared.users > 0) return;
    byList.delete(key);
    void shared.client.close().catch(() => undefined);
  }

  /** One read per tenant at a time: concurrent requests of a tenant whose entry is stale share it. */
  const loading = new Map<string, Promise<Entry["client"]>>();

  async function reload(tenantId: string): Promise<Entry["client"]> {
    const readAtMs = Date.now();
    const entries = await loadAllowListEntries(options.db, tenantId);
    const next = clientFor(entries);
    const previous = byTenant.get(tenantId);
    byTenant.set(tenantId, { readAtMs, ...next });
    if (previous) release(previous.key);
    return next.client;
  }

  function current(tenantId: string): Promise<Entry["client"]> {
    const known = byTenant.get(tenantId);
    const fresh =
      known && Date.now() - known.readAtMs < ttlMs && !allowListChangedSince(tenantId, known.readAtMs);
    if (fresh) return Promise.resolve(known.client);
    let pending = loading.get(tenantId);
    if (!pending) {
      pending = reload(tenantId).finally(() => loading.delete(tenantId));
      loading.set(tenantId, pending);
    }
    return pending;
  }

  return {
    forTenant(tenantId) {
      let facade = facades.get(tenantId);
      if (!facade) {
        facade = { request: async (request) => (await current(tenantId)).request(request) };
        facades.set(tenantId, facade);
      }
      return facade;
    },
    async close() {
      const clients = [...byList.values()].map((shared) => shared.client);
      byList.clear();
      byTenant.clear();
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    },
  };
}
