import type { ModelGateway } from "@flowdeck/node-library/runtime";
import { createModelGateway, type Database } from "@flowdeck/runtime";
import type { SecretBox } from "../channels/secret-box";
import { loadModelSecrets, modelSettingsChangedSince } from "./model-settings-store";

/** How long a process trusts a tenant's model settings it read; a change made in this process applies at once. */
export const MODEL_SETTINGS_TTL_MS = 5_000;

export interface TenantModelGatewaysOptions {
  readonly db: Database;
  readonly secretBox: SecretBox;
  /** OPENAI_API_KEY / OPENAI_BASE_URL for tenants without a key of their own. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly ttlMs?: number;
}

interface Entry {
  readonly readAtMs: number;
  readonly gateway: ModelGateway;
}

/**
 * The engine's `models(tenantId)`: the tenant's own provider (model settings) when it stored a key, else the
 * operator's environment or the offline provider (runtime's createModelGateway). The engine asks synchronously
 * and the settings live in PostgreSQL, so the gateway it gets reads them (cached for `ttlMs`) when a call is
 * made; `provider` / `offline` answer from the last read (the environment's before the first one), so the very
 * first routing decision of a process may use the operator's provider for them while the call itself uses the
 * tenant's. The key is opened only here, in memory, and never logged.
 */
export function createTenantModelGateways(
  options: TenantModelGatewaysOptions,
): (tenantId: string) => ModelGateway {
  const ttlMs = options.ttlMs ?? MODEL_SETTINGS_TTL_MS;
  const env = options.env ?? process.env;
  const fallback = createModelGateway({ env });
  const byTenant = new Map<string, Entry>();
  const loading = new Map<string, Promise<ModelGateway>>();
  const facades = new Map<string, ModelGateway>();

  async function reload(tenantId: string): Promise<ModelGateway> {
    const readAtMs = Date.now();
    const secrets = await loadModelSecrets(options.db, options.secretBox, tenantId);
    const gateway = secrets
      ? createModelGateway({
          env,
          apiKey: secrets.apiKey,
          ...(secrets.baseUrl ? { baseURL: secrets.baseUrl } : {}),
        })
      : fallback;
    byTenant.set(tenantId, { readAtMs, gateway });
    return gateway;
  }

  function current(tenantId: string): Promise<ModelGateway> {
    const entry = byTenant.get(tenantId);
    const now = Date.now();
    if (entry && now - entry.readAtMs < ttlMs && !modelSettingsChangedSince(tenantId, entry.readAtMs))
      return Promise.resolve(entry.gateway);
    let pending = loading.get(tenantId);
    if (!pending) {
      pending = reload(tenantId).finally(() => loading.delete(tenantId));
      loading.set(tenantId, pending);
    }
    return pending;
  }

  return (tenantId) => {
    let facade = facades.get(tenantId);
    if (facade) return facade;
    const known = () => byTenant.get(tenantId)?.gateway ?? fallback;
    facade = {
      get provider() {
        return known().provider;
      },
      get offline() {
        return known().offline;
      },
      complete: async (request, callOptions) => (await current(tenantId)).complete(request, callOptions),
      embed: async (request, callOptions) => {
        const gateway = await current(tenantId);
        if (!gateway.embed) throw new Error("FD229 The tenant's model provider has no embeddings API.");
        return gateway.embed(request, callOptions);
      },
    };
    facades.set(tenantId, facade);
    // Warm the cache so `offline` is right by the time a flow asks.
    void current(tenantId).catch(() => undefined);
    return facade;
  };
}
