import type { ChatTurn } from "@flowdeck/node-library/runtime";
import { getTenant, renderOpeningGreeting, type Database } from "@flowdeck/runtime";
import type { OpeningGreeting, RunTarget } from "./run-host";
import type { WorkflowSource } from "./workflow-source";

export interface ConversationGreetings {
  /**
   * Renders the target flow's start `greeting` and keeps it as the conversation's first message (chat_messages,
   * author `bot`), so a reconnect's catch-up shows it and the first run knows the customer has seen it.
   * Undefined when the flow has no greeting.
   */
  open(request: {
    readonly tenantId: string;
    readonly target: RunTarget;
    readonly conversationId: string;
    readonly channel: string;
  }): Promise<OpeningGreeting | undefined>;
  /** The greeting shown when the conversation opened, as a transcript turn, if there was one. */
  shown(tenantId: string, conversationId: string): Promise<ChatTurn | undefined>;
}

const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

export function createConversationGreetings(db: Database, source: WorkflowSource): ConversationGreetings {
  return {
    async open({ tenantId, target, conversationId, channel }) {
      const { workflow } = await source.load(tenantId, target);
      const tenant = await getTenant(db, tenantId);
      if (!tenant) return undefined;
      const text = await renderOpeningGreeting(
        workflow,
        { id: tenant.id, name: tenant.name },
        { id: conversationId, channel },
      );
      if (text === undefined) return undefined;
      const { rows } = await db.statement<{ id: string; created_at: unknown }>(
        `INSERT INTO chat_messages (tenant_id, conversation_id, author, text)
         VALUES ($1, $2, 'bot', $3) RETURNING id::text AS id, created_at`,
        [tenantId, conversationId, text],
        { tenantId },
      );
      return { id: rows[0]!.id, text, at: isoOf(rows[0]!.created_at) };
    },

    async shown(tenantId, conversationId) {
      const { rows } = await db.statement<{ text: string; created_at: unknown }>(
        `SELECT text, created_at FROM chat_messages
          WHERE conversation_id = $1 AND author = 'bot' ORDER BY created_at LIMIT 1`,
        [conversationId],
        { tenantId },
      );
      const row = rows[0];
      return row ? { role: "assistant", text: row.text, at: isoOf(row.created_at) } : undefined;
    },
  };
}
