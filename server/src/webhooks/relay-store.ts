import type { Sql } from "@flowdeck/runtime";

/** A chat webhook turn still being relayed (`webhook_relays`). */
export interface TurnRelay {
  readonly tenantId: string;
  readonly id: string;
  readonly channelId: string;
  readonly conversationId: string;
  readonly runId: string;
  /** The turn's first event in the run's log. */
  readonly fromSeq: number;
  /** Every reply up to this seq has been handed to delivery. */
  readonly relayedSeq: number;
  /** The turn has not settled in time: the relay is given up. */
  readonly expired: boolean;
}

interface RelayRow {
  tenant_id: string;
  id: string;
  channel_id: string;
  conversation_id: string;
  run_id: string;
  from_seq: number;
  relayed_seq: number;
  expired: boolean;
}

const relayColumns = (t: string) => `${t}tenant_id::text AS tenant_id, ${t}id::text AS id,
  ${t}channel_id::text AS channel_id, ${t}conversation_id, ${t}run_id::text AS run_id, ${t}from_seq,
  ${t}relayed_seq, ${t}give_up_at <= now() AS expired`;

const toRelay = (row: RelayRow): TurnRelay => ({
  tenantId: row.tenant_id,
  id: row.id,
  channelId: row.channel_id,
  conversationId: row.conversation_id,
  runId: row.run_id,
  fromSeq: row.from_seq,
  relayedSeq: row.relayed_seq,
  expired: row.expired,
});

const secondsOf = (ms: number) => ms / 1000;

interface RelayLease {
  readonly leaseMs: number;
  readonly giveUpMs: number;
}

const INSERT_RELAY = `INSERT INTO webhook_relays (tenant_id, channel_id, conversation_id, run_id, from_seq,
                                                 relayed_seq, lease_until, give_up_at)`;
// One relay per turn (migration 1027's key): a turn another process is relaying, or has relayed, inserts nothing.
const ONCE_PER_TURN = `ON CONFLICT (tenant_id, run_id, from_seq) DO NOTHING RETURNING ${relayColumns("")}`;
// The lease and give-up instants, from the parameters holding their seconds.
const leaseAndGiveUp = (lease: string, giveUp: string) =>
  `now() + make_interval(secs => ${lease}), now() + make_interval(secs => ${giveUp})`;

/**
 * Records a turn to relay, leased to this process for `leaseMs`; undefined when the turn already has its relay
 * (a copy of its message recorded it from the claim first, `insertRelayOfClaim`).
 */
export async function insertRelay(
  sql: Sql,
  turn: { tenantId: string; channelId: string; conversationId: string; runId: string; fromSeq: number },
  lease: RelayLease,
): Promise<TurnRelay | undefined> {
  const { rows } = await sql.query<RelayRow>(
    `${INSERT_RELAY}
     VALUES ($1, $2, $3, $4, $5, $5 - 1, ${leaseAndGiveUp("$6", "$7")})
     ${ONCE_PER_TURN}`,
    [
      turn.tenantId,
      turn.channelId,
      turn.conversationId,
      turn.runId,
      turn.fromSeq,
      secondsOf(lease.leaseMs),
      secondsOf(lease.giveUpMs),
    ],
  );
  return rows[0] ? toRelay(rows[0]) : undefined;
}

/**
 * Records the relay of the turn a message's claim (`message_claims`, runtime migration 0017) says its first copy
 * started, for a copy of it; undefined when that turn has its relay already (the usual case: the process that
 * stored the message recorded it) or the claim does not say (a message kept for a person, or claimed before the
 * turn was kept). What makes a process that died between storing a message and recording its relay lose nothing.
 */
export async function insertRelayOfClaim(
  sql: Sql,
  copy: { tenantId: string; channelId: string; claimKey: string },
  lease: RelayLease,
): Promise<TurnRelay | undefined> {
  const { rows } = await sql.query<RelayRow>(
    `${INSERT_RELAY}
     SELECT $1::uuid, $2::uuid, c.conversation_id, c.run_id, c.from_seq, c.from_seq - 1, ${leaseAndGiveUp("$4", "$5")}
       FROM message_claims c
      WHERE c.tenant_id = $1 AND c.claim_key = $3 AND c.run_id IS NOT NULL AND c.from_seq IS NOT NULL
        AND c.conversation_id IS NOT NULL
     ${ONCE_PER_TURN}`,
    [copy.tenantId, copy.channelId, copy.claimKey, secondsOf(lease.leaseMs), secondsOf(lease.giveUpMs)],
  );
  return rows[0] ? toRelay(rows[0]) : undefined;
}

/**
 * Moves the relay past `seq`, in the transaction that stores the reply of that seq. False when a reply at or
 * past it was already handed over (another process relays the same turn): the caller then stores nothing. The
 * row lock orders two relayers, so a reply is stored once.
 */
export async function advanceRelay(sql: Sql, relayId: string, seq: number): Promise<boolean> {
  const { rowCount } = await sql.query(
    "UPDATE webhook_relays SET relayed_seq = $2 WHERE id = $1 AND relayed_seq < $2",
    [relayId, seq],
  );
  return rowCount === 1;
}

/**
 * The turn is relayed: its row stays (so a late copy of its message records no second relay) with no lease a
 * sweeper would take, `'infinity'` also for processes older than migration 1027, whose sweepers read the lease
 * alone. Retention deletes it with the message's claim.
 */
export async function settleRelay(sql: Sql, relayId: string): Promise<void> {
  await sql.query(
    "UPDATE webhook_relays SET settled_at = now(), lease_until = 'infinity' WHERE id = $1 AND settled_at IS NULL",
    [relayId],
  );
}

// Across tenants (the owner's connection): relays whose process let their lease run out, leased to this
// process for `$2` ms. SKIP LOCKED: two sweepers never take the same row in one pass.
const CLAIM_ABANDONED = `
WITH due AS (
  SELECT tenant_id, id FROM webhook_relays WHERE lease_until <= now() AND settled_at IS NULL
   ORDER BY lease_until LIMIT $1
     FOR UPDATE SKIP LOCKED
)
UPDATE webhook_relays r SET lease_until = now() + make_interval(secs => $2::float8 / 1000)
  FROM due
 WHERE r.tenant_id = due.tenant_id AND r.id = due.id
RETURNING ${relayColumns("r.")}`;

/** `sql` must see every tenant (the owner's transaction). */
export async function claimAbandoned(sql: Sql, limit: number, leaseMs: number): Promise<TurnRelay[]> {
  const { rows } = await sql.query<RelayRow>(CLAIM_ABANDONED, [limit, leaseMs]);
  return rows.map(toRelay);
}

// Across tenants (the owner's connection): turns of chat webhook messages stored between `$1` (exclusive; null:
// `$3` seconds ago) and `$2` with no relay recorded, i.e. the process that stored the message died before
// recording it and no copy came to record it from the claim (`insertRelayOfClaim`). Recorded with a lease that
// has already run out, so the next sweeper pass takes them over. A claim names its channel in its key
// (channels/message-claims.ts); claims of web chat and of messages kept for a person join nothing.
const RECORD_ORPHAN_TURNS = `
${INSERT_RELAY}
SELECT c.tenant_id, ch.id, c.conversation_id, c.run_id, c.from_seq, c.from_seq - 1, now(),
       c.claimed_at + make_interval(secs => $3)
  FROM message_claims c
  JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id::text = split_part(c.claim_key, ':', 2)
 WHERE c.claimed_at > coalesce($1::timestamptz, now() - make_interval(secs => $3)) AND c.claimed_at <= $2::timestamptz
   AND c.claim_key LIKE 'chat:%' AND c.run_id IS NOT NULL AND c.from_seq IS NOT NULL
   AND c.conversation_id IS NOT NULL AND ch.kind = 'webhook' AND ch.outbound_url IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM webhook_relays r
                    WHERE r.tenant_id = c.tenant_id AND r.run_id = c.run_id AND r.from_seq = c.from_seq)
${ONCE_PER_TURN}`;

/**
 * Records the relays nobody recorded for messages stored after `since` (undefined: within the give-up time)
 * and at least `graceMs` ago; resolves with how many and the instant it looked up to, the next call's `since`.
 * `sql` must see every tenant (the owner's transaction).
 */
export async function recordOrphanTurns(
  sql: Sql,
  since: string | undefined,
  graceMs: number,
  giveUpMs: number,
): Promise<{ recorded: number; upTo: string }> {
  const { rows } = await sql.query<{ up_to: string }>(
    "SELECT (now() - make_interval(secs => $1::float8))::text AS up_to",
    [secondsOf(graceMs)],
  );
  const upTo = rows[0]!.up_to;
  const inserted = await sql.query<RelayRow>(RECORD_ORPHAN_TURNS, [since ?? null, upTo, secondsOf(giveUpMs)]);
  return { recorded: inserted.rows.length, upTo };
}
