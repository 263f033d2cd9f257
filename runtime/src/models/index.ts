// The models entry: what the engine, the server and tests use. Named re-exports only (DESIGN.md §7).
export { createModelGateway, type ModelGatewayOptions } from "./model-gateway";
export {
  createOpenAiProvider,
  DEFAULT_MODEL_TIMEOUT_MS,
  type OpenAiProviderOptions,
} from "./openai-provider";
export {
  createOfflineProvider,
  offlineAnswerText,
  OFFLINE_MODEL,
  OFFLINE_PROVIDER,
} from "./offline-provider";
export { ModelError, MODEL_ERRORS, redactSecrets, type ModelErrorCode } from "./model-errors";
export { DEFAULT_PRICES, costOf, priceOf, type ModelPrice } from "./price-table";
export { sharedModelCircuitBreakers } from "./shared-circuit-breakers";
export { estimateTokens, estimatePromptTokens } from "./token-estimate";
export {
  createCircuitBreakerRegistry,
  type CircuitBreakerOptions,
  type CircuitBreakerRegistry,
  type CircuitStateName,
} from "../resilience/circuit-breakers";
