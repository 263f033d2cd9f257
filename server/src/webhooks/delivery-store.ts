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

// Across tenants (the owner's connection): the due rows that are their conversation's oldest pending message,
// soonest due first, leased for `$2` ms so that another process's sweeper passes them by. Due rows first
// (webhook_deliveries_due, migration 1028): retries wait up to an hour for about a day, so most owed rows are
// not due and a pass must not read them all. The lease is taken in the UPDATE, which re-checks the deadline
// under the row lock: two sweepers never attempt the same row at once.
const CLAIM_DUE = `
WITH due AS (
  SELECT d.tenant_id, d.id
    FROM webhook_deliveries d
   WHERE d.gave_up_at IS NULL AND d.next_attempt_at <= now()
     AND NOT EXISTS (
       SELECT 1 FROM webhook_deliveries older
        WHERE older.tenant_id = d.tenant_id AND older.channel_id = d.channel_id
          AND older.conversation_id = d.conversation_id AND older.gave_up_at IS NULL
          AND (older.created_at, older.id) < (d.created_at, d.id))
   ORDER BY d.next_attempt_at
   LIMIT $1
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

/**
 * Given-up messages of a channel (all, or those of `ids`) owed again, with a fresh round of attempts and due now,
 * in the caller's tenant transaction. A retried message is older than what its conversation sent since, so it
 * holds the conversation's later owed messages back until it is settled: order is kept. Returns their ids.
 */
export async function retryGivenUp(sql: Sql, channelId: string, ids?: readonly string[]): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE webhook_deliveries
        SET gave_up_at = NULL, attempts = 0, next_attempt_at = now()
      WHERE channel_id = $1 AND gave_up_at IS NOT NULL AND ($2::text[] IS NULL OR id::text = ANY ($2::text[]))
      RETURNING id::text AS id`,
    [channelId, ids ?? null],
  );
  return rows.map((row) => row.id);
}

/** Which of `ids` the channel has (owed or given up). */
export async function existingDeliveries(
  sql: Sql,
  channelId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const { rows } = await sql.query<{ id: string }>(
    "SELECT id::text AS id FROM webhook_deliveries WHERE channel_id = $1 AND id::text = ANY ($2::text[])",
    [channelId, ids],
  );
  return new Set(rows.map((row) => row.id));
}
