import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Which customer fallbacks are written down for staff (an audit row `chat.fallback` and a log line). Every
 * fallback is counted in `flowdeck_chat_fallbacks_total{code}`, but the messages that cause one are the
 * customer's to send, as many as they like: past the tenant's messages per minute (FD352), a flood would
 * otherwise write an audit row and a log line per message, the load that limit is there to hold off, and grow
 * the audit log without bound. A conversation's reason is written once per code and minute (one row tells staff
 * why that customer got the text), and a tenant's notes are capped per minute.
 */
export interface FallbackNotes {
  /** Whether this fallback is the one to write down; counts it either way. Never rejects. */
  take(tenantId: string, conversationId: string, code: string): Promise<boolean>;
}

// The limiter counts whole seconds.
const WINDOW_SECONDS = 60;

/** `perTenantPerMinute`: notes one tenant gets per minute, across its conversations. */
export function createFallbackNotes(perTenantPerMinute: number): FallbackNotes {
  const perConversation = new RateLimiterMemory({ points: 1, duration: WINDOW_SECONDS });
  const perTenant = new RateLimiterMemory({ points: perTenantPerMinute, duration: WINDOW_SECONDS });
  // Over the limit rejects with a RateLimiterRes; anything else would be the limiter's own fault, and then the
  // note is written rather than the customer's answer lost.
  const consumed = (limiter: RateLimiterMemory, key: string) =>
    limiter.consume(key).then(
      () => true,
      (error: unknown) => !(error instanceof RateLimiterRes),
    );
  return {
    async take(tenantId, conversationId, code) {
      if (!(await consumed(perConversation, `${tenantId}:${conversationId}:${code}`))) return false;
      return consumed(perTenant, tenantId);
    },
  };
}
