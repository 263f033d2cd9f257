import { randomUUID } from "node:crypto";
import { isApiError } from "../kit/api-error";
import { recordAudit } from "../audit/audit-store";
import type { ChatPrincipal } from "./chat-principal";
import type { ChatServices } from "./chat-services";
import { MessageReceivedBefore } from "../channels/message-claims";
import { sendCustomerMessage, type CustomerMessageOptions, type MessageOutcome } from "./customer-message";

/**
 * Refusals about the customer's own message, which they can act on; everything else a message can meet on
 * its way to a run (FD350 runs per month, FD352 messages per minute, FD351 an unpublished flow, FD377, an
 * internal error) is ours: the customer gets the fallback text, staff get the reason.
 */
const CUSTOMER_FACING_CODES: ReadonlySet<string> = new Set(["FD300", "FD373", "FD378"]);

/** The customer's side of a message we could not take: polite text, no code, nothing about plans. */
export interface FallbackOutcome {
  readonly kind: "fallback";
  /** `fallback|<uuid>`: never a run's reply id, so clients neither dedupe it away nor expect it in the log. */
  readonly id: string;
  readonly text: string;
  readonly at: string;
  /** For staff and logs only: the code that stopped the message. */
  readonly reasonCode: string;
}

/**
 * `sendCustomerMessage` for customers: a refusal that is ours becomes the fallback text, and the reason goes
 * to staff (`flowdeck_chat_fallbacks_total{code}`; an audit row `chat.fallback` on the conversation and a log
 * line, as often as fallback-notes.ts allows). Staff test sessions get the real error: they can act on it.
 * Refusals the customer caused rethrow.
 */
export async function sendOrFallback(
  services: ChatServices,
  principal: ChatPrincipal,
  conversationId: string,
  text: string,
  options: CustomerMessageOptions = {},
): Promise<MessageOutcome | FallbackOutcome> {
  try {
    return await sendCustomerMessage(services.db, services.runs, principal, conversationId, text, options);
  } catch (error) {
    if (principal.kind !== "customer") throw error;
    // A copy of a message stored before: the caller tells the client so, nothing to fall back from.
    if (error instanceof MessageReceivedBefore) throw error;
    if (isApiError(error) && CUSTOMER_FACING_CODES.has(error.code)) throw error;
    return fallBack(services, principal, conversationId, error);
  }
}

async function fallBack(
  services: ChatServices,
  principal: Extract<ChatPrincipal, { kind: "customer" }>,
  conversationId: string,
  error: unknown,
): Promise<FallbackOutcome> {
  const reasonCode = isApiError(error) ? error.code : "FD399";
  const reason = isApiError(error) ? error.message : "Internal error.";
  const { channel, tenantId } = principal;
  const outcome: FallbackOutcome = {
    kind: "fallback",
    id: `fallback|${randomUUID()}`,
    text: services.options.customerFallbackText,
    at: new Date().toISOString(),
    reasonCode,
  };
  services.metrics?.chatFallbacks.inc({ code: reasonCode });
  // An internal error is ours to fix: always logged. A refusal is written down once per conversation and window.
  if (!isApiError(error))
    services.log.error("customer message failed; fallback sent", { error, tenant: tenantId });
  if (!(await services.fallbackNotes.take(tenantId, conversationId, reasonCode))) return outcome;
  if (isApiError(error))
    services.log.warn("customer message refused; fallback sent", { code: reasonCode, tenant: tenantId });
  try {
    await services.db.transaction(
      (sql) =>
        recordAudit(sql, {
          actorId: null,
          action: "chat.fallback",
          targetType: "conversation",
          targetId: conversationId,
          detail: { code: reasonCode, reason, channelId: channel.id, channelKind: channel.kind },
        }),
      { tenantId },
    );
  } catch (auditError) {
    // The customer still gets an answer; the log line above and this one keep the reason.
    services.log.error("chat fallback not audited", { error: auditError, tenant: tenantId });
  }
  return outcome;
}
