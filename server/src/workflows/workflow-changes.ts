import { createRecentChanges } from "../store/recent-changes";

const changes = createRecentChanges();

/**
 * A publish, rollback or deletion through this process: caches of "the version a channel runs now" (the webhook
 * channel lookup) drop their entry at once instead of at expiry.
 */
export function noteWorkflowChange(workflowId: string): void {
  changes.note(workflowId);
}

/** Whether this process published, rolled back or deleted the workflow at or after `sinceMs`. */
export function workflowChangedSince(workflowId: string, sinceMs: number): boolean {
  return changes.since(workflowId, sinceMs);
}
