import type { Database } from "@flowdeck/runtime";

// A channel's received message ids, in `webhook_receipts` (migration 1005; it took its name from the first
// channel kind to use it): a webhook sender's Flowdeck-Message-Id, and the id the web chat widget gives each
// message so that it can send again what a dropped socket may have lost. A unique key, so of two copies of a
// message only one is taken, whichever process each reaches; retention deletes ids older than the tenant's
// history (run-retention.ts).
const CLAIM = `INSERT INTO webhook_receipts (tenant_id, channel_id, message_id, conversation_id) VALUES ($1, $2, $3, $4)
  ON CONFLICT DO NOTHING RETURNING message_id`;
const CLAIMED_CONVERSATION = `SELECT conversation_id FROM webhook_receipts WHERE channel_id = $1 AND message_id = $2`;
const RELEASE = `DELETE FROM webhook_receipts WHERE channel_id = $1 AND message_id = $2`;

export interface MessageReceipt {
  readonly tenantId: string;
  readonly channelId: string;
  readonly messageId: string;
  /** The conversation the message goes to, kept so that a copy sent again can be told where it went. */
  readonly conversationId?: string;
}

export type ClaimOutcome =
  | { readonly claimed: true }
  /** Received before: `conversationId` is where the first copy went, when that was kept. */
  | { readonly claimed: false; readonly conversationId: string | undefined };

/** Claims the message id for this message; a copy received before is refused, with the conversation it went to. */
export async function claimMessageId(db: Database, receipt: MessageReceipt): Promise<ClaimOutcome> {
  return db.transaction(
    async (sql) => {
      const { rowCount } = await sql.query(CLAIM, [
        receipt.tenantId,
        receipt.channelId,
        receipt.messageId,
        receipt.conversationId ?? null,
      ]);
      if (rowCount === 1) return { claimed: true };
      const { rows } = await sql.query<{ conversation_id: string | null }>(CLAIMED_CONVERSATION, [
        receipt.channelId,
        receipt.messageId,
      ]);
      return { claimed: false, conversationId: rows[0]?.conversation_id ?? undefined };
    },
    { tenantId: receipt.tenantId },
  );
}

/** Gives a claimed id back: its message was refused before anything was stored, so a retry may run it. */
export async function releaseMessageId(db: Database, receipt: MessageReceipt): Promise<void> {
  await db.transaction((sql) => sql.query(RELEASE, [receipt.channelId, receipt.messageId]), {
    tenantId: receipt.tenantId,
  });
}
