import { createRunStore, type Database, type RunStore, type Sql } from "@flowdeck/runtime";
import { framesForEvents, type ServerFrame } from "./chat-frames";

/** A conversation's runs, oldest first, and the channel it was opened on. */
export async function conversationRuns(
  sql: Sql,
  conversationId: string,
): Promise<Array<{ id: string; channel: string; status: string }>> {
  const { rows } = await sql.query<{ id: string; channel: string; status: string }>(
    "SELECT id::text AS id, channel, status FROM runs WHERE conversation_id = $1 ORDER BY created_at, id",
    [conversationId],
  );
  return rows;
}

interface MessageRow {
  id: string;
  author: "customer" | "agent" | "bot";
  text: string;
  created_at: unknown;
}

/** Agent (and customer) messages exchanged during handoffs, oldest first. */
export async function handoffMessages(
  sql: Sql,
  conversationId: string,
): Promise<Array<{ id: string; author: "customer" | "agent"; text: string; at: string }>> {
  const messages = await conversationMessages(sql, conversationId);
  return messages.filter(
    (message): message is typeof message & { author: "customer" | "agent" } => message.author !== "bot",
  );
}

/** The conversation's messages that no run sent: the opening greeting (bot) and the handoffs', oldest first. */
async function conversationMessages(
  sql: Sql,
  conversationId: string,
): Promise<Array<{ id: string; author: MessageRow["author"]; text: string; at: string }>> {
  const { rows } = await sql.query<MessageRow>(
    "SELECT id::text AS id, author, text, created_at FROM chat_messages WHERE conversation_id = $1 ORDER BY created_at, id",
    [conversationId],
  );
  return rows.map((row) => ({
    id: row.id,
    author: row.author,
    text: row.text,
    at: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
  }));
}

// Run events carry the engine's clock, handoff messages the database's; resending a little more than asked
// keeps a skew between the two from losing anything (clients dedupe by id).
const CLOCK_MARGIN_MS = 5_000;

export interface ConversationHistory {
  /**
   * What a client reconnecting to the conversation missed since `after` (ISO time; absent = everything): the
   * opening greeting, bot replies and handoff notices from the event log, agent replies from the inbox, in time
   * order.
   */
  replay(
    tenantId: string,
    conversationId: string,
    after: string | undefined,
    staff: boolean,
  ): Promise<ServerFrame[]>;
}

export function createConversationHistory(
  db: Database,
  runStore: RunStore = createRunStore(db),
  /** What a customer reads for a failed run (ChatOptions.customerFallbackText). */
  fallbackText?: string,
): ConversationHistory {
  return {
    async replay(tenantId, conversationId, after, staff) {
      const { runs, messages } = await db.transaction(
        async (sql) => ({
          runs: await conversationRuns(sql, conversationId),
          messages: await conversationMessages(sql, conversationId),
        }),
        { tenantId },
      );
      const frames: ServerFrame[] = [];
      for (const run of runs) {
        const events = await runStore.listEvents(tenantId, run.id);
        // Replayed: what was said and the trace, not live-only tokens, typing or a failure notice without a time.
        frames.push(
          ...framesForEvents(conversationId, run.id, events, staff, undefined, fallbackText).filter(
            (frame) => "at" in frame,
          ),
        );
      }
      for (const message of messages) {
        if (message.author !== "customer")
          frames.push({
            type: "reply",
            conversationId,
            id: message.id,
            author: message.author,
            text: message.text,
            at: message.at,
          });
      }
      const since = after === undefined ? -Infinity : Date.parse(after) - CLOCK_MARGIN_MS;
      const timed = frames.filter((frame) => Date.parse((frame as { at: string }).at) >= since);
      return timed.sort((a, b) => timeOf(a) - timeOf(b));
    },
  };
}

const timeOf = (frame: ServerFrame) => ("at" in frame ? Date.parse(frame.at) : 0);
