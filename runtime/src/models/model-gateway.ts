import type { ModelGateway } from "@flowdeck/node-library/runtime";
import { createOfflineProvider } from "./offline-provider";
import { createOpenAiProvider, type OpenAiProviderOptions } from "./openai-provider";

export interface ModelGatewayOptions extends Omit<OpenAiProviderOptions, "apiKey" | "baseURL"> {
  /** The tenant's own key. When given, it is used with the tenant's `baseURL` only (never the environment's). */
  readonly apiKey?: string;
  readonly baseURL?: string;
  /** Where `OPENAI_API_KEY` and `OPENAI_BASE_URL` are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Picks the provider for a tenant: its own key and base URL when it has a key, else `OPENAI_API_KEY` with
 * `OPENAI_BASE_URL`, else the built-in offline provider (DESIGN.md §6). A key and a base URL always come from
 * the same place, so a tenant's key is never sent to a base URL the operator configured for another key.
 */
export function createModelGateway(options: ModelGatewayOptions = {}): ModelGateway {
  const { apiKey, baseURL, env = process.env, ...providerOptions } = options;
  if (apiKey?.trim()) {
    return createOpenAiProvider({ ...providerOptions, apiKey, ...(baseURL?.trim() ? { baseURL } : {}) });
  }
  const envKey = env.OPENAI_API_KEY?.trim();
  if (envKey) {
    const envBaseURL = env.OPENAI_BASE_URL?.trim();
    return createOpenAiProvider({
      ...providerOptions,
      apiKey: envKey,
      ...(envBaseURL ? { baseURL: envBaseURL } : {}),
    });
  }
  return createOfflineProvider();
}
