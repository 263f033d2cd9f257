// Words and decisions of a webhook channel's deliveries card, kept out of the component so they can be checked
// under Node: what a retry's answer or refusal means to the person who pressed the button, and when the card
// keeps asking the server (POST /channels/:id/deliveries/retry, server/src/webhooks/delivery-routes.ts).
import { describeError, isApiError } from "../api";
import type { ChannelDeliveries } from "../api/workspace-types";
import { relativeTime } from "../workflows/relative-time";

/** How often an open card re-reads a channel whose replies are owed or failing. */
export const DELIVERY_POLL_MS = 10_000;

/**
 * Polled while the outcome can still change on its own (messages owed) or the banner says "failing": a
 * receiver that recovers clears it with its next delivery, and a stale red banner would send staff hunting.
 */
export function needsPolling(deliveries: ChannelDeliveries | undefined): boolean {
  if (!deliveries) return false;
  return deliveries.health !== "ok" || deliveries.items.some((item) => item.status !== "given-up");
}

export function givenUpCount(deliveries: ChannelDeliveries): number {
  return deliveries.items.filter((item) => item.status === "given-up").length;
}

const messages = (count: number) => (count === 1 ? "1 message" : `${count} messages`);

export function retriedText(retried: number): string {
  if (retried === 0) return "No given-up messages to send again: they were already retried or delivered.";
  return `${messages(retried)} will be sent again.`;
}

export function gaveUpText(givenUpAt: string, nowMs?: number): string {
  return `gave up ${relativeTime(givenUpAt, nowMs)}`;
}

const idsIn = (details: Record<string, unknown> | undefined, key: string): readonly unknown[] => {
  const value = details?.[key];
  return Array.isArray(value) ? value : [];
};

/**
 * A refused retry in plain words. The server names ids (details.missing, details.owed) nobody on this page
 * knows, so the sentence says what happened to the messages instead; nothing was retried (all or none).
 */
export function retryErrorText(error: unknown): string {
  if (isApiError(error, "FD322")) {
    const missing = idsIn(error.details, "missing").length;
    if (missing === 0) return "This channel no longer exists. Reload the page to see your channels.";
    return `Nothing was retried: ${missing === 1 ? "that message is" : `${messages(missing)} are`} no longer listed (delivered or cleared meanwhile). The list below is up to date now.`;
  }
  if (isApiError(error, "FD343")) {
    const owed = idsIn(error.details, "owed").length;
    return `Nothing was retried: ${owed <= 1 ? "that message is" : `${messages(owed)} are`} already being sent again. The list below is up to date now.`;
  }
  if (isApiError(error) && error.status === 403)
    return "Only admins and owners can retry deliveries. Ask one of them.";
  return `Could not retry: ${describeError(error)}`;
}
