import { createGroupCommit, type Database, type ItemOutcome } from "@flowdeck/runtime";
import type { ChatPrincipal } from "../chat/chat-principal";
import type { Logger } from "../kit/logger";

// A channel's received message ids, in `webhook_receipts` (migration 1005; it took its name from the first
// channel kind to use it): a webhook sender's Flowdeck-Message-Id, and the id the web chat widget gives each
// message so that it can send again what a dropped socket may have lost. A unique key, so of two copies of a
// message only one is taken, whichever process each reaches; retention deletes ids older than the tenant's
// history (run-retention.ts).
const CLAIM_BATCH = `INSERT INTO webhook_receipts (tenant_id, channel_id, message_id, conversation_id)
  SELECT $1, item.channel_id::uuid, item.message_id, item.conversation_id
    FROM unnest($2::text[], $3::text[], $4::text[]) AS item(channel_id, message_id, conversation_id)
  ON CONFLICT DO NOTHING RETURNING channel_id::text, message_id`;
const CLAIMED_CONVERSATIONS = `SELECT r.channel_id::text, r.message_id, r.conversation_id FROM webhook_receipts r
  JOIN unnest($1::uuid[], $2::text[]) AS item(channel_id, message_id)
    ON r.channel_id = item.channel_id AND r.message_id = item.message_id`;
const RELEASE = `DELETE FROM webhook_receipts WHERE channel_id = $1 AND message_id = $2`;
// Claims made while an earlier batch of the tenant is out wait for it and go together (one transaction).
const MAX_CLAIMS_PER_BATCH = 200;

export interface MessageReceipt {
  readonly tenantId: string;
  readonly channelId: string;
  readonly messageId: string;
  /** The conversation the message goes to, kept so that a copy sent again can be told where it went. */
  readonly conversationId?: string;
}

/** The receipt of a chat message a customer gave an id; none for staff (no channel) or a message without one. */
export function customerReceipt(
  principal: ChatPrincipal,
  messageId: string | undefined,
  conversationId: string,
): MessageReceipt | undefined {
  if (!messageId || principal.kind !== "customer") return undefined;
  return { tenantId: principal.tenantId, channelId: principal.channel.id, messageId, conversationId };
}

export type ClaimOutcome =
  | { readonly claimed: true }
  /** Received before: `conversationId` is where the first copy went, when that was kept. */
  | { readonly claimed: false; readonly conversationId: string | undefined };

export interface MessageReceipts {
  /** Claims the message id for this message; a copy received before is refused, with where the first went. */
  claim(receipt: MessageReceipt): Promise<ClaimOutcome>;
  /**
   * Gives a claimed id back: its message was refused before anything was stored, so a retry may run it. Never
   * throws: a failure is logged and the id stays taken, so the refusal that caused it still reaches the sender.
   */
  release(receipt: MessageReceipt): Promise<void>;
}

const keyOf = (channelId: string, messageId: string) => `${channelId}\n${messageId}`;

/**
 * Group-committed per tenant: every web chat message with an id claims it before it goes to its run, so under
 * load the claims of many conversations share one transaction instead of adding one each.
 */
export function createMessageReceipts(db: Database, log: Logger): MessageReceipts {
  const claims = createGroupCommit<MessageReceipt, ClaimOutcome>({
    maxBatchItems: MAX_CLAIMS_PER_BATCH,
    write: (tenantId, receipts) =>
      db.transaction(
        async (sql): Promise<ItemOutcome<ClaimOutcome>[]> => {
          const { rows } = await sql.query<{ channel_id: string; message_id: string }>(CLAIM_BATCH, [
            tenantId,
            receipts.map((receipt) => receipt.channelId),
            receipts.map((receipt) => receipt.messageId),
            receipts.map((receipt) => receipt.conversationId ?? null),
          ]);
          // Of two copies in one batch the first is taken: the insert skips the second as a conflict.
          const inserted = new Set(rows.map((row) => keyOf(row.channel_id, row.message_id)));
          const taken = receipts.map((receipt) => {
            const key = keyOf(receipt.channelId, receipt.messageId);
            return inserted.delete(key);
          });
          const copies = receipts.filter((_, index) => !taken[index]);
          const firstWent = new Map<string, string | undefined>();
          if (copies.length > 0) {
            const claimed = await sql.query<{
              channel_id: string;
              message_id: string;
              conversation_id: string | null;
            }>(CLAIMED_CONVERSATIONS, [
              copies.map((receipt) => receipt.channelId),
              copies.map((receipt) => receipt.messageId),
            ]);
            for (const row of claimed.rows)
              firstWent.set(keyOf(row.channel_id, row.message_id), row.conversation_id ?? undefined);
          }
          return receipts.map((receipt, index) => ({
            ok: true,
            value: taken[index]
              ? { claimed: true }
              : {
                  claimed: false,
                  conversationId: firstWent.get(keyOf(receipt.channelId, receipt.messageId)),
                },
          }));
        },
        { tenantId },
      ),
  });

  return {
    claim: (receipt) => claims.submit(receipt.tenantId, receipt),
    async release(receipt) {
      await db
        .transaction((sql) => sql.query(RELEASE, [receipt.channelId, receipt.messageId]), {
          tenantId: receipt.tenantId,
        })
        .catch((error: unknown) =>
          log.warn("message id not given back", {
            error,
            tenant: receipt.tenantId,
            channel: receipt.channelId,
          }),
        );
    },
  };
}
