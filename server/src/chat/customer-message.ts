import { randomUUID } from "node:crypto";
import type { Database, RunClaim, RunRecord, Sql } from "@flowdeck/runtime";
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

export interface CustomerMessageOptions {
  /** The caller made `conversationId` up just now: no run can be in it yet. */
  readonly newConversation?: boolean;
  /**
   * The message's id (message-claims.ts), claimed by whichever statement stores the message; a copy stored
   * before rejects with `claim.duplicate()`.
   */
  readonly claim?: RunClaim;
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
  options: CustomerMessageOptions = {},
): Promise<MessageOutcome> {
  if (!runs) throw new ApiError("FD377", "Runs are not available in this server.");
  const { newConversation, claim } = options;
  try {
    const { run, fromSeq } = await runs.message({
      tenantId: principal.tenantId,
      target: targetOf(principal),
      conversationId,
      channel: runChannelOf(principal),
      text,
      ...(newConversation ? { newConversation } : {}),
      ...(claim ? { claim } : {}),
    });
    return { kind: "run", run, fromSeq };
  } catch (error) {
    if (!isApiError(error) || error.code !== "FD353") throw error;
    const stored = await db.transaction(
      (sql) => storeCustomerMessage(sql, principal.tenantId, conversationId, text, claim?.key ?? null),
      { tenantId: principal.tenantId },
    );
    if (!stored) throw claim!.duplicate();
    return { kind: "with-human", runId: stored.runId };
  }
}

// The inbox row, and the message's claim when it has an id (undefined: a copy of it was stored before).
const STORE_CUSTOMER_MESSAGE = `WITH message_claim AS (
  INSERT INTO message_claims (tenant_id, claim_key, conversation_id)
  SELECT $1, $4::text, $2 WHERE $4::text IS NOT NULL
  ON CONFLICT DO NOTHING RETURNING claim_key
)
INSERT INTO chat_messages (tenant_id, conversation_id, run_id, author, text)
SELECT $1, $2, (SELECT id FROM runs WHERE conversation_id = $2 AND status = 'handoff' ORDER BY created_at DESC LIMIT 1), 'customer', $3
 WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM message_claim)
RETURNING coalesce(run_id::text, '') AS run_id`;

async function storeCustomerMessage(
  sql: Sql,
  tenantId: string,
  conversationId: string,
  text: string,
  claimKey: string | null,
): Promise<{ runId: string } | undefined> {
  const { rows } = await sql.query<{ run_id: string }>(STORE_CUSTOMER_MESSAGE, [
    tenantId,
    conversationId,
    text,
    claimKey,
  ]);
  return rows[0] ? { runId: rows[0].run_id } : undefined;
}
