/** List prices in USD per 1M tokens. */
export interface ModelPrice {
  readonly inputUsdPerMillion: number;
  readonly outputUsdPerMillion: number;
}

/**
 * OpenAI list prices for standard (non-batch) chat completions, checked 2025-08. Cached-input discounts are
 * not applied, so a cost here is an upper bound. Tenants on other services or prices pass `prices` to
 * override or extend this table.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-4o": { inputUsdPerMillion: 2.5, outputUsdPerMillion: 10 },
  "gpt-4o-mini": { inputUsdPerMillion: 0.15, outputUsdPerMillion: 0.6 },
  "gpt-4.1": { inputUsdPerMillion: 2, outputUsdPerMillion: 8 },
  "gpt-4.1-mini": { inputUsdPerMillion: 0.4, outputUsdPerMillion: 1.6 },
  "gpt-4.1-nano": { inputUsdPerMillion: 0.1, outputUsdPerMillion: 0.4 },
  "o4-mini": { inputUsdPerMillion: 1.1, outputUsdPerMillion: 4.4 },
  o3: { inputUsdPerMillion: 2, outputUsdPerMillion: 8 },
  "o3-mini": { inputUsdPerMillion: 1.1, outputUsdPerMillion: 4.4 },
  "gpt-5": { inputUsdPerMillion: 1.25, outputUsdPerMillion: 10 },
  "gpt-5-mini": { inputUsdPerMillion: 0.25, outputUsdPerMillion: 2 },
  "gpt-5-nano": { inputUsdPerMillion: 0.05, outputUsdPerMillion: 0.4 },
  "gpt-4-turbo": { inputUsdPerMillion: 10, outputUsdPerMillion: 30 },
  "gpt-3.5-turbo": { inputUsdPerMillion: 0.5, outputUsdPerMillion: 1.5 },
  // Embeddings (the router's embeddings tier) bill input tokens only.
  "text-embedding-3-small": { inputUsdPerMillion: 0.02, outputUsdPerMillion: 0 },
  "text-embedding-3-large": { inputUsdPerMillion: 0.13, outputUsdPerMillion: 0 },
  "text-embedding-ada-002": { inputUsdPerMillion: 0.1, outputUsdPerMillion: 0 },
};

// The API answers with dated snapshots ("gpt-4o-mini-2024-07-18"); they cost what their alias costs.
const SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/** The price of `model`, exact name first, then without a snapshot date. Undefined when unknown. */
export function priceOf(
  model: string,
  table: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES,
): ModelPrice | undefined {
  return table[model] ?? table[model.replace(SNAPSHOT_SUFFIX, "")];
}

/**
 * Cost of one call. An unknown model costs 0 and `known: false`, so the caller can warn: guessing a price
 * would put a wrong number on a tenant's bill, while 0 plus a warning is visibly "not priced".
 */
export function costOf(
  model: string,
  tokens: { readonly promptTokens: number; readonly completionTokens: number },
  table: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES,
): { readonly costUsd: number; readonly known: boolean } {
  const price = priceOf(model, table);
  if (!price) return { costUsd: 0, known: false };
  const costUsd =
    (tokens.promptTokens * price.inputUsdPerMillion + tokens.completionTokens * price.outputUsdPerMillion) /
    1_000_000;
  return { costUsd, known: true };
}
