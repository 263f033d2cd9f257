import { createRecentChanges } from "../store/recent-changes";

const members = createRecentChanges();
const sessions = createRecentChanges();

/**
 * Requests trust a membership check for up to `membershipCheckTtlMs` (membership-check.ts). A role change, a
 * removal or a logout made through this process ends that trust at once; other API processes notice within
 * their own TTL. Call these after the change committed, so no check that read the old rows outlives them.
 */
export function noteMemberChanged(tenantId: string, userId: string): void {
  members.note(`${tenantId}:${userId}`);
}

export function noteSessionEnded(tenantId: string, sessionId: string): void {
  sessions.note(`${tenantId}:${sessionId}`);
}

/** Whether this process changed the member's role or membership, or ended the session, at or after `sinceMs`. */
export function membershipChangedSince(
  claim: { tenantId: string; userId: string; sessionId: string },
  sinceMs: number,
): boolean {
  return (
    members.since(`${claim.tenantId}:${claim.userId}`, sinceMs) ||
    sessions.since(`${claim.tenantId}:${claim.sessionId}`, sinceMs)
  );
}
