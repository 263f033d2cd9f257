import { randomUUID } from "node:crypto";
import type { Database, RunRecord, Sql } from "@flowdeck/runtime";
import { ApiError, isApiError } from "../kit/api-error";
import type { RunHost } from "../runs/run-host";
import { runChannelOf, targetOf, type ChatPrincipal } from "./chat-principal";
import { conversationRuns } from "./conversation-history";

export type MessageOutcome =
  /** `fromSeq`: where the turn begins in the run's log (AcceptedMessage). */
  | { readonly kind: "run"; readonly run: RunRecord; readonly fromSeq: number }
  /** The conversation is with a human: the text was stored for the inbox, no run moved. */
  | { readonly kind: "with-human"; readonly runId: string };

/**
 * Whether the principal may use this conversation id: a customer only the conversations of their own channel
 * (ids are random UUIDs, and runs of another channel answer "not found" rather than "forbidden"); staff any
 * in their tenant. An id with no runs yet is a new conversation.
 */
export async function checkConversation(
  db: Database,
  principal: ChatPrincipal,
  conversationId: string,
): Promise<void> {
  const runs = await db.transaction((sql) => conversationRuns(sql, conversationId), {
    tenantId: principal.tenantId,
  });
  if (principal.kind === "customer" && runs.some((run) => run.channel !== runChannelOf(principal))) {
    throw new ApiError("FD378", "No such conversation on this channel.");
  }
}

export function newConversationId(): string {
  return randomUUID();
}

/**
 * A customer's (or a tester's) message: resumes the conversation's waiting run or starts a new one, through the
 * RunHost. While a human has the conversation (FD353) the message is kept for the inbox instead.
 */
export async function sendCustomerMessage(
  db: Database,
  runs: RunHost | undefined,
  principal: ChatPrincipal,
  conversationId: string,
  text: string,
  /** The caller made `conversationId` up just now: no run can be in it yet. */
  newConversation = false,
): Promise<MessageOutcome> {
  if (!runs) throw new ApiError("FD377", "Runs are not available in this server.");
  try {
    const { run, fromSeq } = await runs.message({
      tenantId: principal.tenantId,
      target: targetOf(principal),
      conversationId,
      channel: runChannelOf(principal),
      text,
      ...(newConversation ? { newConversation } : {}),
    });
    return { kind: "run", run, fromSeq };
  } catch (error) {
    if (!isApiError(error) || error.code !== "FD353") throw error;
    const runId = await db.transaction(
      (sql) => storeCustomerMessage(sql, principal.tenantId, conversationId, text),
      { tenantId: principal.tenantId },
    );
    return { kind: "with-human", runId };
  }
}

async function storeCustomerMessage(
  sql: Sql,
  tenantId: string,
  conversationId: string,
  text: string,
): Promise<string> {
  const { rows } = await sql.query<{ run_id: string }>(
    `INSERT INTO chat_messages (tenant_id, conversation_id, run_id, author, text)
     SELECT $1, $2, (SELECT id FROM runs WHERE conversation_id = $2 AND status = 'handoff' ORDER BY created_at DESC LIMIT 1), 'customer', $3
     RETURNING coalesce(run_id::text, '') AS run_id`,
    [tenantId, conversationId, text],
  );
  return rows[0]!.run_id;
}
