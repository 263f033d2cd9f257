import type { Database, RunClaim } from "@flowdeck/runtime";
import type { ChatPrincipal } from "../chat/chat-principal";

// A customer message's id is claimed in the runtime's `message_claims` (runtime migration 0016) by the statement
// that stores the message: the run it starts, the request it records for a waiting run, the inbox row of a
// conversation a person holds. So the id is taken exactly when the message is: a crash in between cannot leave
// an id taken and its message lost, and a message refused before it was stored leaves its id free for a copy.
// Ids come from the web chat widget (it sends a message again on a new socket until it hears `received`) and
// from a chat webhook's Flowdeck-Message-Id; a message answered with the fallback text claims nothing.
const FIRST_CONVERSATION = "SELECT conversation_id FROM message_claims WHERE claim_key = $1";

/** A copy of a message whose first copy was stored: nothing was stored or run again. */
export class MessageReceivedBefore extends Error {
  constructor(
    readonly messageId: string,
    /** The claim's key, to ask where the first copy went (`firstConversationOf`). */
    readonly key: string,
  ) {
    super(`Message ${messageId} was already received; nothing ran again.`);
    this.name = "MessageReceivedBefore";
  }
}

/** The claim of a message a customer gave an id; none for staff (no channel) or a message without one. */
export function customerClaim(principal: ChatPrincipal, messageId: string | undefined): RunClaim | undefined {
  if (!messageId || principal.kind !== "customer") return undefined;
  // The migration that moved the earlier receipts here (server 1026) writes the same key.
  const key = `chat:${principal.channel.id}:${messageId}`;
  return { key, duplicate: () => new MessageReceivedBefore(messageId, key) };
}

/**
 * The conversation a message's first copy went to; undefined for an id a chat webhook claimed before that was
 * kept. Read only for a copy, so the path of a new message pays nothing for it.
 */
export async function firstConversationOf(
  db: Database,
  tenantId: string,
  copy: MessageReceivedBefore,
): Promise<string | undefined> {
  const { rows } = await db.statement<{ conversation_id: string | null }>(FIRST_CONVERSATION, [copy.key], {
    tenantId,
  });
  return rows[0]?.conversation_id ?? undefined;
}
