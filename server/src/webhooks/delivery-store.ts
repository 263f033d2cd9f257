import type { Sql } from "@flowdeck/runtime";

/** A message still owed to a webhook channel's receiver (`webhook_deliveries`). */
export interface PendingDelivery {
  readonly tenantId: string;
  readonly id: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly body: string;
  /** Attempts made so far. */
  readonly attempts: number;
}

interface DeliveryRow {
  tenant_id: string;
  id: string;
  channel_id: string;
  message_id: string;
  body: string;
  attempts: number;
}

const toPending = (row: DeliveryRow): PendingDelivery => ({
  tenantId: row.tenant_id,
  id: row.id,
  channelId: row.channel_id,
  messageId: row.message_id,
  body: row.body,
  attempts: row.attempts,
});

// The row, leased to this process for `$7` ms (its first attempt), and whether an older message of the same
// conversation is still owed: then this one waits for the sweeper, which keeps the order. The subquery does
// not see the row being inserted (one snapshot per statement).
const INSERT_DELIVERY = `
WITH owed AS (
  SELECT EXISTS (
    SELECT 1 FROM webhook_deliveries
     WHERE tenant_id = $1 AND channel_id = $2 AND conversation_id = $3 AND gave_up_at IS NULL
  ) AS behind
), row AS (
  INSERT INTO webhook_deliveries (tenant_id, channel_id, conversation_id, message_id, body, next_attempt_at)
  SELECT $1, $2, $3, $4, $5,
         CASE WHEN owed.behind THEN now() ELSE now() + make_interval(secs => $6::float8 / 1000) END
    FROM owed
  RETURNING tenant_id::text, id::text, channel_id::text, message_id, body, attempts
)
SELECT row.*, owed.behind FROM row, owed`;

/** Stores a message before its first attempt; `behind` when an older one of its conversation is still owed. */
export async function insertDelivery(
  sql: Sql,
  message: {
    tenantId: string;
    channelId: string;
    conversationId: string;
    messageId: string;
    body: string;
    leaseMs: number;
  },
): Promise<{ delivery: PendingDelivery; behind: boolean }> {
  const { rows } = await sql.query<DeliveryRow & { behind: boolean }>(INSERT_DELIVERY, [
    message.tenantId,
    message.channelId,
    message.conversationId,
    message.messageId,
    message.body,
    message.leaseMs,
  ]);
  return { delivery: toPending(rows[0]!), behind: rows[0]!.behind };
}

export async function deleteDelivery(sql: Sql, id: string): Promise<void> {
  await sql.query("DELETE FROM webhook_deliveries WHERE id = $1", [id]);
}

/** After a failed attempt: due again after `retryInMs`, or given up (`retryInMs` null). */
export async function recordFailure(
  sql: Sql,
  id: string,
  attempts: number,
  error: string,
  retryInMs: number | null,
): Promise<void> {
  await sql.query(
    `UPDATE webhook_deliveries
        SET attempts = $2, last_error = $3,
            next_attempt_at = CASE WHEN $4::float8 IS NULL THEN next_attempt_at
                                   ELSE now() + make_interval(secs => $4::float8 / 1000) END,
            gave_up_at = CASE WHEN $4::float8 IS NULL THEN now() END
      WHERE id = $1`,
    [id, attempts, error.slice(0, 500), retryInMs],
  );
}

// Across tenants (the owner's connection): each pending conversation's oldest message, if it is due, leased
// for `$2` ms so that another process's sweeper passes it by. The lease is taken in the UPDATE, which re-checks
// the deadline under the row lock: two sweepers never attempt the same row at once.
const CLAIM_DUE = `
WITH heads AS (
  SELECT DISTINCT ON (tenant_id, channel_id, conversation_id) tenant_id, id, next_attempt_at
    FROM webhook_deliveries
   WHERE gave_up_at IS NULL
   ORDER BY tenant_id, channel_id, conversation_id, created_at, id
), due AS (
  SELECT tenant_id, id FROM heads WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1
)
UPDATE webhook_deliveries d
   SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
  FROM due
 WHERE d.tenant_id = due.tenant_id AND d.id = due.id AND d.next_attempt_at <= now()
RETURNING d.tenant_id::text, d.id::text, d.channel_id::text, d.message_id, d.body, d.attempts`;

/** `sql` must see every tenant (the owner's transaction, as the outbox dispatcher uses). */
export async function claimDue(sql: Sql, limit: number, leaseMs: number): Promise<PendingDelivery[]> {
  const { rows } = await sql.query<DeliveryRow>(CLAIM_DUE, [limit, leaseMs]);
  return rows.map(toPending);
}

/** Given-up messages older than `keepMs` (their error was there to read for that long); across tenants. */
export async function pruneGivenUp(sql: Sql, keepMs: number): Promise<number> {
  const { rowCount } = await sql.query(
    "DELETE FROM webhook_deliveries WHERE gave_up_at < now() - make_interval(secs => $1::float8 / 1000)",
    [keepMs],
  );
  return rowCount ?? 0;
}
