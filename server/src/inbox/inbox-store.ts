import { journalLastEventData, type Sql } from "@flowdeck/runtime";

export interface WaitingConversation {
  readonly runId: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly workflowName: string;
  /** From the handoff node: why, which queue, how urgent. */
  readonly reason: string;
  readonly queue: string;
  readonly priority: string;
  readonly since: string;
  /** Customer messages received since the handoff. */
  readonly unread: number;
}

/**
 * Runs parked for a human, oldest first (the longest wait is answered first). Replays are not: a replayed
 * conversation that reaches a handoff stops there, and nobody should answer a customer who is not waiting.
 */
export async function listWaitingConversations(sql: Sql): Promise<WaitingConversation[]> {
  const { rows } = await sql.query<{
    id: string;
    conversation_id: string;
    channel: string;
    workflow_name: string;
    updated_at: unknown;
    handoff: Record<string, unknown> | null;
    unread: number;
  }>(
    `SELECT r.id::text AS id, r.conversation_id, r.channel, r.workflow_name, r.updated_at,
        ${journalLastEventData("r", "run.handoff")} AS handoff,
        (SELECT count(*)::int FROM chat_messages m WHERE m.tenant_id = r.tenant_id AND m.run_id = r.id AND m.author = 'customer') AS unread
       FROM runs r WHERE r.status = 'handoff' AND r.mode = 'live' ORDER BY r.updated_at, r.id LIMIT 500`,
  );
  return rows.map((row) => ({
    runId: row.id,
    conversationId: row.conversation_id,
    channel: row.channel,
    workflowName: row.workflow_name,
    reason: String(row.handoff?.reason ?? ""),
    queue: String(row.handoff?.queue ?? "support"),
    priority: String(row.handoff?.priority ?? "medium"),
    since: row.updated_at instanceof Date ? row.updated_at.toISOString() : String(row.updated_at),
    unread: row.unread,
  }));
}
