import type { Sql } from "@flowdeck/runtime";

export type AttemptOutcome = "delivered" | "retry" | "given-up";

/** Counts one settled attempt for its channel, in the transaction that settles it (the tenant's). */
export async function countAttempt(
  sql: Sql,
  entry: { readonly tenantId: string; readonly channelId: string; outcome: AttemptOutcome; error: string },
): Promise<void> {
  const delivered = entry.outcome === "delivered";
  await sql.query(
    `INSERT INTO webhook_delivery_stats AS s (tenant_id, channel_id, delivered_total, failed_attempts_total,
                                              given_up_total, last_delivered_at, last_error, last_error_at)
     VALUES ($1, $2, $3::int, 1 - $3::int, $4::int,
             CASE WHEN $3::int = 1 THEN now() END, CASE WHEN $3::int = 0 THEN $5 END, CASE WHEN $3::int = 0 THEN now() END)
     ON CONFLICT (tenant_id, channel_id) DO UPDATE SET
       delivered_total = s.delivered_total + $3::int,
       failed_attempts_total = s.failed_attempts_total + 1 - $3::int,
       given_up_total = s.given_up_total + $4::int,
       last_delivered_at = CASE WHEN $3::int = 1 THEN now() ELSE s.last_delivered_at END,
       last_error = CASE WHEN $3::int = 0 THEN $5 ELSE s.last_error END,
       last_error_at = CASE WHEN $3::int = 0 THEN now() ELSE s.last_error_at END`,
    [
      entry.tenantId,
      entry.channelId,
      delivered ? 1 : 0,
      entry.outcome === "given-up" ? 1 : 0,
      entry.error.slice(0, 500),
    ],
  );
}

export interface ChannelDeliveries {
  /**
   * `failing`: the last attempt failed, or a message was given up in the last day and nothing was delivered
   * since; `retrying`: some are owed. The latest outcome wins, so a receiver that recovered reads healthy while
   * its older given-up messages stay listed (and can be retried).
   */
  readonly health: "ok" | "retrying" | "failing";
  readonly deliveredTotal: number;
  readonly failedAttemptsTotal: number;
  readonly givenUpTotal: number;
  readonly lastDeliveredAt: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** Messages still owed or given up (delivered ones are gone), newest first, without their bodies. */
  readonly items: ReadonlyArray<{
    readonly id: string;
    readonly conversationId: string;
    readonly messageId: string;
    readonly attempts: number;
    readonly status: "pending" | "retrying" | "given-up";
    readonly lastError: string | null;
    readonly nextAttemptAt: string | null;
    readonly givenUpAt: string | null;
    readonly createdAt: string;
  }>;
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : value == null ? null : String(value);
const DAY_MS = 86_400_000;

/** A channel's delivery record for staff, in the caller's tenant transaction. */
export async function channelDeliveries(
  sql: Sql,
  channelId: string,
  limit: number,
): Promise<ChannelDeliveries> {
  const stats = (
    await sql.query<Record<string, unknown>>(
      `SELECT delivered_total, failed_attempts_total, given_up_total, last_delivered_at, last_error, last_error_at
         FROM webhook_delivery_stats WHERE channel_id = $1`,
      [channelId],
    )
  ).rows[0];
  const { rows } = await sql.query<{
    id: string;
    conversation_id: string;
    message_id: string;
    attempts: number;
    last_error: string | null;
    next_attempt_at: unknown;
    gave_up_at: unknown;
    created_at: unknown;
  }>(
    `SELECT id::text AS id, conversation_id, message_id, attempts, last_error, next_attempt_at, gave_up_at, created_at
       FROM webhook_deliveries WHERE channel_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
    [channelId, limit],
  );
  const items = rows.map((row) => ({
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    attempts: row.attempts,
    status: (row.gave_up_at != null ? "given-up" : row.attempts > 0 ? "retrying" : "pending") as
      "pending" | "retrying" | "given-up",
    lastError: row.last_error,
    nextAttemptAt: row.gave_up_at != null ? null : iso(row.next_attempt_at),
    givenUpAt: iso(row.gave_up_at),
    createdAt: iso(row.created_at)!,
  }));
  const lastErrorAt = iso(stats?.last_error_at);
  const lastDeliveredAt = iso(stats?.last_delivered_at);
  // By when it was given up, not created: with a day of retries, every given-up message was created a day ago.
  const recentGiveUp = items.some(
    (item) =>
      item.givenUpAt !== null &&
      Date.now() - Date.parse(item.givenUpAt) < DAY_MS &&
      (lastDeliveredAt === null || Date.parse(item.givenUpAt) > Date.parse(lastDeliveredAt)),
  );
  const lastFailed =
    lastErrorAt !== null &&
    (lastDeliveredAt === null || Date.parse(lastErrorAt) > Date.parse(lastDeliveredAt));
  const health =
    recentGiveUp || lastFailed
      ? "failing"
      : items.some((item) => item.status !== "given-up")
        ? "retrying"
        : "ok";
  return {
    health,
    deliveredTotal: Number(stats?.delivered_total ?? 0),
    failedAttemptsTotal: Number(stats?.failed_attempts_total ?? 0),
    givenUpTotal: Number(stats?.given_up_total ?? 0),
    lastDeliveredAt,
    lastError: (stats?.last_error as string | null | undefined) ?? null,
    lastErrorAt,
    items,
  };
}
