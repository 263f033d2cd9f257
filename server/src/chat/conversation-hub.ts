import type { ConversationNotice, RunEventBatch, RunHost } from "../runs/run-host";
import type { ServerFrame } from "./chat-frames";

/** Someone watching a conversation: a customer's or staff member's socket, or a pending HTTP reply. */
export interface ConversationWatcher {
  /** Committed (and live `token`) events of a run in the conversation. */
  onBatch(batch: RunEventBatch): void;
  /** Frames that are not run events: an agent's reply from the inbox, a customer message during a handoff. */
  onFrame(frame: ServerFrame): void;
}

/**
 * Routes run events to the watchers of their conversation. One RunHost subscription per tenant with watchers,
 * dropped with the tenant's last watcher, so an idle tenant costs nothing. Frames that are not run events (an
 * agent's reply from the inbox) go out as RunHost notices, which reach the watchers of every API process.
 */
export interface ConversationHub {
  watch(tenantId: string, conversationId: string, watcher: ConversationWatcher): () => void;
  publish(tenantId: string, conversationId: string, frame: ServerFrame): void;
  /** Watchers of the tenant's inbox: every handoff-related frame of any conversation. */
  watchTenant(tenantId: string, watcher: ConversationWatcher): () => void;
  readonly size: number;
}

interface TenantEntry {
  readonly conversations: Map<string, Set<ConversationWatcher>>;
  readonly all: Set<ConversationWatcher>;
  unsubscribe?: () => void;
}

export function createConversationHub(runs: () => RunHost | undefined): ConversationHub {
  const tenants = new Map<string, TenantEntry>();
  let size = 0;

  function deliver(found: TenantEntry, conversationId: string, frame: ServerFrame): void {
    for (const watcher of found.conversations.get(conversationId) ?? []) safely(() => watcher.onFrame(frame));
    for (const watcher of found.all) safely(() => watcher.onFrame(frame));
  }

  function entry(tenantId: string): TenantEntry {
    let found = tenants.get(tenantId);
    if (!found) {
      const created: TenantEntry = { conversations: new Map(), all: new Set() };
      const host = runs();
      const stopBatches = host?.subscribe(tenantId, (batch) => {
        for (const watcher of created.conversations.get(batch.conversationId) ?? [])
          safely(() => watcher.onBatch(batch));
        for (const watcher of created.all) safely(() => watcher.onBatch(batch));
      });
      const stopNotices = host?.subscribeNotices(tenantId, (conversationId, notice) =>
        deliver(created, conversationId, notice as unknown as ServerFrame),
      );
      created.unsubscribe = () => {
        stopBatches?.();
        stopNotices?.();
      };
      tenants.set(tenantId, created);
      found = created;
    }
    return found;
  }

  function release(tenantId: string, found: TenantEntry): void {
    if (found.conversations.size === 0 && found.all.size === 0) {
      found.unsubscribe?.();
      tenants.delete(tenantId);
    }
  }

  return {
    get size() {
      return size;
    },
    watch(tenantId, conversationId, watcher) {
      const found = entry(tenantId);
      let set = found.conversations.get(conversationId);
      if (!set) found.conversations.set(conversationId, (set = new Set()));
      set.add(watcher);
      size += 1;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        size -= 1;
        set.delete(watcher);
        if (set.size === 0) found.conversations.delete(conversationId);
        release(tenantId, found);
      };
    },
    watchTenant(tenantId, watcher) {
      const found = entry(tenantId);
      found.all.add(watcher);
      return () => {
        found.all.delete(watcher);
        release(tenantId, found);
      };
    },
    publish(tenantId, conversationId, frame) {
      const host = runs();
      // Through the host, so a watcher on another API process hears it too; without one, only here.
      if (host) host.notify(tenantId, conversationId, frame as unknown as ConversationNotice);
      else {
        const found = tenants.get(tenantId);
        if (found) deliver(found, conversationId, frame);
      }
    },
  };
}

// One broken watcher (a socket closing mid-send) must not keep the batch from the others.
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* the watcher's own close path cleans up */
  }
}
