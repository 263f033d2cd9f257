import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMigrations, runMigrations, type Sql } from "@flowdeck/runtime";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { runServerMigrations, SERVER_MIGRATIONS_DIR } from "../src/store/server-migrations";
import { claimAbandoned, insertRelay, settleRelay } from "../src/webhooks/relay-store";

// Migration 1027: one relay per chat webhook turn, kept once settled. Relays recorded by the old schema are still
// relayed, and a turn recorded twice (which the old code never did) keeps one row, so the key can be built.
describe.each(TEST_DATABASE_KINDS)("the relay turns migration (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  const channelId = randomUUID();
  const runA = randomUUID();
  const runB = randomUUID();
  let applied: readonly string[] = [];
  const lease = { leaseMs: 60_000, giveUpMs: 900_000 };

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    const before = (await loadMigrations(SERVER_MIGRATIONS_DIR)).filter((m) => m.id < "1027");
    await runMigrations(testDb.db, before);
    tenantId = await testDb.createTenant("Acme");
    await testDb.db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO webhook_relays (tenant_id, channel_id, conversation_id, run_id, from_seq, relayed_seq,
                                     lease_until, give_up_at)
         VALUES ($1, $2, 'c-a', $3, 1, 0, now() - interval '1 minute', now() + interval '10 minutes'),
                ($1, $2, 'c-a', $3, 1, 0, now() - interval '1 minute', now() + interval '10 minutes'),
                ($1, $2, 'c-b', $4, 5, 4, now() + interval '1 minute', now() + interval '10 minutes')`,
        [tenantId, channelId, runA, runB],
      ),
    );
    applied = (await runServerMigrations(testDb.db)).applied;
  }, 60_000);
  afterAll(async () => {
    await testDb?.close();
  });

  it("keeps one relay per turn, still being relayed, and the sweeper takes the one whose lease ran out", async () => {
    expect(applied).toContain("1027_webhook_relay_turns");
    const rows = await testDb.db.ownerTransaction(
      async (sql) =>
        (
          await sql.query<{ conversation_id: string; settled: boolean }>(
            "SELECT conversation_id, settled_at IS NOT NULL AS settled FROM webhook_relays ORDER BY conversation_id",
          )
        ).rows,
    );
    expect(rows).toEqual([
      { conversation_id: "c-a", settled: false },
      { conversation_id: "c-b", settled: false },
    ]);
    const taken = await testDb.db.ownerTransaction((sql) => claimAbandoned(sql, 10, 5_000));
    expect(taken.map((relay) => relay.conversationId)).toEqual(["c-a"]);
  });

  it("records a turn once, and never hands a settled turn to a sweeper", async () => {
    const turn = { tenantId, channelId, conversationId: "c-b", runId: runB, fromSeq: 5 };
    const inTenant = <T>(work: (sql: Sql) => Promise<T>) => testDb.db.transaction(work, { tenantId });
    expect(await inTenant((sql) => insertRelay(sql, turn, lease))).toBeUndefined();
    const next = await inTenant((sql) => insertRelay(sql, { ...turn, fromSeq: 9 }, lease));
    expect(next?.relayedSeq).toBe(8);
    await inTenant((sql) => settleRelay(sql, next!.id));
    // Even with its lease pushed into the past, as an old process's sweeper would read it.
    await testDb.db.ownerTransaction((sql) =>
      sql.query("UPDATE webhook_relays SET lease_until = now() - interval '1 minute' WHERE id = $1", [
        next!.id,
      ]),
    );
    const taken = await testDb.db.ownerTransaction((sql) => claimAbandoned(sql, 10, 5_000));
    expect(taken.map((relay) => relay.id)).not.toContain(next!.id);
    expect(await inTenant((sql) => insertRelay(sql, { ...turn, fromSeq: 9 }, lease))).toBeUndefined();
  });
});
