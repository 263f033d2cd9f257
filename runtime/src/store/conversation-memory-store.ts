import type { Database } from "./database";
import { toJson } from "./sql-values";

/**
 * Conversation memory (`conversation.<name>`, migration 0010): per (tenant, conversation), under RLS. A run
 * starts with what is stored; when one of its activations ends having set memory, the keys it set are merged in
 * (`memory || writes`), so two runs of a conversation that set different keys never erase each other.
 */
export interface ConversationMemoryStore {
  load(tenantId: string, conversationId: string): Promise<Record<string, unknown>>;
  save(
    tenantId: string,
    conversationId: string,
    writes: Readonly<Record<string, unknown>>,
    runId: string,
  ): Promise<void>;
}

/** At most this many keys are kept per conversation (a flow writing a key per message cannot grow it forever). */
export const MAX_MEMORY_KEYS = 100;

export function createConversationMemoryStore(db: Database): ConversationMemoryStore {
  return {
    async load(tenantId, conversationId) {
      const { rows } = await db.statement<{ memory: Record<string, unknown> }>(
        "SELECT memory FROM conversation_memory WHERE tenant_id = $1 AND conversation_id = $2",
        [tenantId, conversationId],
        { tenantId },
      );
      return rows[0]?.memory ?? {};
    },
    async save(tenantId, conversationId, writes, runId) {
      if (Object.keys(writes).length === 0) return;
      await db.statement(
        `INSERT INTO conversation_memory AS m (tenant_id, conversation_id, memory, updated_by_run)
         VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (tenant_id, conversation_id) DO UPDATE
           SET memory = CASE
                 WHEN (SELECT count(*) FROM jsonb_object_keys(m.memory || EXCLUDED.memory)) > ${MAX_MEMORY_KEYS}
                 THEN EXCLUDED.memory
                 ELSE m.memory || EXCLUDED.memory
               END,
               updated_by_run = EXCLUDED.updated_by_run, updated_at = now()`,
        [tenantId, conversationId, toJson(writes), runId],
        { tenantId },
      );
    },
  };
}
