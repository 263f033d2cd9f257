import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, loadMigrations, runMigrations } from "@flowdeck/runtime";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { newRun } from "../../runtime/test/store/run-fixtures";
import { customerClaim, MessageReceivedBefore } from "../src/channels/message-claims";
import type { ChatPrincipal } from "../src/chat/chat-principal";
import { runServerMigrations, SERVER_MIGRATIONS_DIR } from "../src/store/server-migrations";

// Migration 1026 moves the ids the widget and chat webhooks claimed in `webhook_receipts` (migrations 1005 and
// 1025) to the runtime's `message_claims`: a copy of a message sent before the upgrade is still refused.
describe.each(TEST_DATABASE_KINDS)("the message claims migration (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  const channelId = randomUUID();
  let applied: readonly string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    const before = (await loadMigrations(SERVER_MIGRATIONS_DIR)).filter((m) => m.id < "1026");
    await runMigrations(testDb.db, before);
    tenantId = await testDb.createTenant("Acme");
    await testDb.db.ownerTransaction((sql) =>
      sql.query(
        `INSERT INTO webhook_receipts (tenant_id, channel_id, message_id, conversation_id, received_at)
         VALUES ($1, $2, 'widget-m-1', 'conversation-1', now() - interval '1 hour'),
                ($1, $2, 'webhook-m-2', NULL, now() - interval '2 hours')`,
        [tenantId, channelId],
      ),
    );
    applied = (await runServerMigrations(testDb.db)).applied;
  }, 60_000);
  afterAll(async () => {
    await testDb?.close();
  });

  it("keeps every claimed id, with where it went, and drops the old table", async () => {
    expect(applied).toContain("1026_message_claims");
    const rows = await testDb.db.ownerTransaction(
      async (sql) =>
        (
          await sql.query<{ claim_key: string; conversation_id: string | null; hours: number }>(
            `SELECT claim_key, conversation_id, round(extract(epoch FROM now() - claimed_at) / 3600)::int AS hours
               FROM message_claims ORDER BY claim_key`,
          )
        ).rows,
    );
    expect(rows).toEqual([
      { claim_key: `chat:${channelId}:webhook-m-2`, conversation_id: null, hours: 2 },
      { claim_key: `chat:${channelId}:widget-m-1`, conversation_id: "conversation-1", hours: 1 },
    ]);
    const left = await testDb.db.ownerTransaction(
      async (sql) => (await sql.query("SELECT to_regclass('webhook_receipts') AS t")).rows[0],
    );
    expect(left).toEqual({ t: null });
  });

  it("refuses a copy of a message claimed before the upgrade", async () => {
    const principal = {
      kind: "customer",
      tenantId,
      channel: { id: channelId },
    } as unknown as ChatPrincipal;
    const store = createRunStore(testDb.db);
    await expect(
      store.createRun(newRun(tenantId, { messageClaim: customerClaim(principal, "widget-m-1")! })),
    ).rejects.toBeInstanceOf(MessageReceivedBefore);
    const fresh = await store.createRun(
      newRun(tenantId, { messageClaim: customerClaim(principal, "widget-m-3")! }),
    );
    expect(fresh.status).toBe("queued");
  });
});
