/** Channels changed by this process recently; older entries go first once there are more. */
const MAX_REMEMBERED_CHANGES = 10_000;

const changedAtMs = new Map<string, number>();

/**
 * Open chat sessions trust their channel-key check for a while (chat-session.ts); a rotation, an origin change or
 * a deletion made through this process ends that trust at once, so the session's next message re-checks. Other
 * processes' sessions notice within their re-check interval.
 */
export function noteChannelChange(channelId: string): void {
  changedAtMs.delete(channelId);
  changedAtMs.set(channelId, Date.now());
  if (changedAtMs.size > MAX_REMEMBERED_CHANGES) changedAtMs.delete(changedAtMs.keys().next().value!);
}

/** Whether this process changed the channel at or after `sinceMs`. */
export function channelChangedSince(channelId: string, sinceMs: number): boolean {
  const at = changedAtMs.get(channelId);
  return at !== undefined && at >= sinceMs;
}
