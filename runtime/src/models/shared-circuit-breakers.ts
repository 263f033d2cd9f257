import { createCircuitBreakerRegistry } from "../resilience/circuit-breakers";

/**
 * The process-wide breakers for model calls. Shared on purpose: the engine builds a gateway per tenant (even
 * per step), and an outage of a model is one fact for all of them. Failures only count when the service
 * itself failed (5xx, connection errors, timeouts), never a tenant's own 4xx or 429.
 */
export const sharedModelCircuitBreakers = createCircuitBreakerRegistry();
