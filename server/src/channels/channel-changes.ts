import { createRecentChanges } from "../store/recent-changes";

const changes = createRecentChanges();

/**
 * Open chat sessions trust their channel-key check for a while (chat-session.ts), and webhook calls their channel
 * lookup; a rotation, an origin or version change or a deletion made through this process ends that trust at
 * once. Other processes notice within their re-check interval.
 */
export function noteChannelChange(channelId: string): void {
  changes.note(channelId);
}

/** Whether this process changed the channel at or after `sinceMs`. */
export function channelChangedSince(channelId: string, sinceMs: number): boolean {
  return changes.since(channelId, sinceMs);
}
