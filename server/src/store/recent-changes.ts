/** Ids remembered per kind; older entries go first once there are more. */
const MAX_REMEMBERED_CHANGES = 10_000;

export interface RecentChanges {
  /** Records that this process changed `id` now. */
  note(id: string): void;
  /** Whether this process changed `id` at or after `sinceMs`. */
  since(id: string, sinceMs: number): boolean;
}

/**
 * What this process changed recently, for caches that trust a read for a while: a change made here ends that
 * trust at once, and other processes' caches notice within their own expiry.
 */
export function createRecentChanges(): RecentChanges {
  const changedAtMs = new Map<string, number>();
  return {
    note(id) {
      changedAtMs.delete(id);
      changedAtMs.set(id, Date.now());
      if (changedAtMs.size > MAX_REMEMBERED_CHANGES) changedAtMs.delete(changedAtMs.keys().next().value!);
    },
    since(id, sinceMs) {
      const at = changedAtMs.get(id);
      return at !== undefined && at >= sinceMs;
    },
  };
}
