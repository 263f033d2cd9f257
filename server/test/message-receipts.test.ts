import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  TEST_DATABASE_KINDS,
  type TestDatabase,
} from "../../runtime/test/support/test-database";
import { createMessageReceipts } from "../src/channels/message-receipts";
import { silentServerLogger } from "../src/kit/logger";
import { runServerMigrations } from "../src/store/server-migrations";

// Claims are group-committed per tenant, so two copies of one message can meet in one batch as well as in two.
describe.each(TEST_DATABASE_KINDS)("message receipts (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  const channelId = randomUUID();

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await runServerMigrations(testDb.db);
    tenantId = await testDb.createTenant("Acme");
  }, 60_000);
  afterAll(async () => {
    await testDb?.close();
  });

  it("takes each id once among copies claimed together, and tells a copy where its first went", async () => {
    const receipts = createMessageReceipts(testDb.db, silentServerLogger);
    const ids = Array.from({ length: 10 }, (_, index) => `m-${index}-${randomUUID()}`);
    // Each id twice, all at once: the first claim goes alone, the other nineteen wait and go as one batch.
    const outcomes = await Promise.all(
      [...ids, ...ids].map((messageId, index) =>
        receipts.claim({ tenantId, channelId, messageId, conversationId: `conversation-${index}` }),
      ),
    );
    ids.forEach((_, index) => {
      expect(outcomes[index]).toEqual({ claimed: true });
      expect(outcomes[index + ids.length]).toEqual({
        claimed: false,
        conversationId: `conversation-${index}`,
      });
    });
    const again = await receipts.claim({ tenantId, channelId, messageId: ids[3]! });
    expect(again).toEqual({ claimed: false, conversationId: "conversation-3" });
  });

  it("gives an id back, so a later copy is taken", async () => {
    const receipts = createMessageReceipts(testDb.db, silentServerLogger);
    const receipt = { tenantId, channelId, messageId: `m-${randomUUID()}`, conversationId: "conversation-x" };
    expect(await receipts.claim(receipt)).toEqual({ claimed: true });
    await receipts.release(receipt);
    expect(await receipts.claim({ ...receipt, conversationId: "conversation-y" })).toEqual({ claimed: true });
    expect(await receipts.claim(receipt)).toEqual({ claimed: false, conversationId: "conversation-y" });
  });
});
