import type { RunRecord } from "@flowdeck/runtime";

/** Runs remembered; beyond this the least recently touched is forgotten (and read from the database again). */
const MAX_RECENT_RUNS = 5_000;
// Forgotten a batch at a time: a Map keeps deleted entries as holes at its front until it rehashes, so finding
// the oldest one by one walks those holes on every call (4 % of a webhook call's CPU measured at 5,000 runs).
const EVICT_BATCH = 500;

/** Forgets the least recently touched entries down to MAX_RECENT_RUNS, in one walk. */
function evictOldest<V>(map: Map<string, V>): void {
  let excess = map.size - MAX_RECENT_RUNS;
  for (const key of map.keys()) {
    if (excess-- <= 0) break;
    map.delete(key);
  }
}

export interface RecentRuns {
  /** Keeps `run` unless a newer version of it is already known. */
  remember(run: RunRecord): void;
  get(tenantId: string, runId: string): RunRecord | undefined;
  /** The id of the newest run started in the conversation, as far as this process knows. */
  latestIn(tenantId: string, conversationId: string): string | undefined;
}

/**
 * The last committed record of the runs this process executes, from the engine's own commits. Only the inline
 * RunHost uses it: there this process is the one writer of its runs (DESIGN.md §4, the embedded single process),
 * so what it committed last is what the database holds, and settling a run or finding a conversation's run
 * needs no read. A run it does not know (older than the process, or forgotten) is read as before.
 */
export function createRecentRuns(): RecentRuns {
  const runs = new Map<string, RunRecord>();
  const conversations = new Map<string, string>();

  function touch<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_RECENT_RUNS + EVICT_BATCH) evictOldest(map);
  }

  return {
    remember(run) {
      const known = runs.get(run.id);
      if (known && known.stateVersion > run.stateVersion) return;
      touch(runs, run.id, run);
      // A newer run of the conversation (created later) wins; commits of an older one do not move it back.
      const conversation = `${run.tenantId}:${run.conversationId}`;
      const latestId = conversations.get(conversation);
      const latest = latestId ? runs.get(latestId) : undefined;
      if (!latest || latest.id === run.id || latest.createdAt <= run.createdAt)
        touch(conversations, conversation, run.id);
    },
    get(tenantId, runId) {
      const run = runs.get(runId);
      return run?.tenantId === tenantId ? run : undefined;
    },
    latestIn(tenantId, conversationId) {
      return conversations.get(`${tenantId}:${conversationId}`);
    },
  };
}
