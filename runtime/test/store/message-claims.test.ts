import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import type { RunClaim } from "../../src/store/run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { newRun, tinyState } from "./run-fixtures";

class Copy extends Error {}

// A customer message's id is claimed by the statement that stores the message (migration 0016): the run it starts
// or the request it records. One namespace for both, so a copy is refused whichever way its first went.
describe.each(TEST_DATABASE_KINDS)("message claims (%s)", (kind) => {
  let testDb: TestDatabase;
  let store: SqlRunStore;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    store = createRunStore(testDb.db);
    tenantId = await testDb.createTenant("Acme Outfitters");
  });
  afterAll(async () => {
    await testDb?.close();
  });

  const claimOf = (key = `chat:${randomUUID()}:m-1`): RunClaim => ({ key, duplicate: () => new Copy(key) });
  const message = (text: string) => ({ kind: "message" as const, text });

  async function waitingRun(): Promise<string> {
    const run = await store.createRun(newRun(tenantId));
    await store.commit({
      tenantId,
      runId: run.id,
      expectedVersion: 0,
      status: "waiting",
      state: tinyState(),
      events: [],
      activationEnded: true,
    });
    return run.id;
  }

  interface ClaimRow {
    run_id: string;
    conversation_id: string;
    from_seq: number;
  }

  async function claims(key: string): Promise<ClaimRow[]> {
    return testDb.db.ownerTransaction(
      async (sql) =>
        (
          await sql.query<ClaimRow>(
            "SELECT run_id::text, conversation_id, from_seq FROM message_claims WHERE claim_key = $1",
            [key],
          )
        ).rows,
    );
  }

  async function requests(runId: string): Promise<number> {
    return (await store.listEvents(tenantId, runId)).filter((e) => e.type === "resume.requested").length;
  }

  it("starts one run per id, among copies in one batch and across batches, and keeps where its turn went", async () => {
    const claim = claimOf();
    const copies = await Promise.allSettled(
      Array.from({ length: 5 }, (_, index) =>
        store.createRun(newRun(tenantId, { messageClaim: claim, conversationId: `conversation-${index}` })),
      ),
    );
    const started = copies.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    expect(started).toHaveLength(1);
    for (const refused of copies.filter((o) => o.status === "rejected"))
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(Copy);
    const stored = await claims(claim.key);
    // The turn begins with the run (migration 0017): what a chat webhook's relay needs to be recorded again.
    expect(stored).toEqual([
      { run_id: started[0]!.id, conversation_id: started[0]!.conversationId, from_seq: 1 },
    ]);
    await expect(store.createRun(newRun(tenantId, { messageClaim: claim }))).rejects.toBeInstanceOf(Copy);
    // Copies of an id nobody claimed yet, all in one batch (the plain run goes first, alone): the first is kept.
    const fresh = claimOf();
    const [, ...together] = await Promise.allSettled([
      store.createRun(newRun(tenantId)),
      ...Array.from({ length: 3 }, () => store.createRun(newRun(tenantId, { messageClaim: fresh }))),
    ]);
    expect(together.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    expect((await claims(fresh.key))[0]!.run_id).toBe(
      (together[0] as PromiseFulfilledResult<{ id: string }>).value.id,
    );
    // Runs without an id in the same batch are not held back by the copies.
    const mixed = await Promise.all([
      store.createRun(newRun(tenantId)),
      store.createRun(newRun(tenantId, { messageClaim: claimOf() })),
      store.createRun(newRun(tenantId)),
    ]);
    expect(new Set(mixed.map((run) => run.id)).size).toBe(3);
  });

  it("records one request per id, and refuses a copy of a message that started a run", async () => {
    const runId = await waitingRun();
    const claim = claimOf();
    const recorded = await store.requestResume(tenantId, runId, message("AO-1"), ["waiting"], claim);
    expect(recorded?.seq).toBeGreaterThan(0);
    await expect(
      store.requestResume(tenantId, runId, message("AO-1"), ["waiting"], claim),
    ).rejects.toBeInstanceOf(Copy);
    expect(await requests(runId)).toBe(1);
    expect(await claims(claim.key)).toEqual([
      { run_id: runId, conversation_id: "conv-1", from_seq: recorded!.seq },
    ]);

    // The first message of a chat started a run; its copy arrives as an answer to that run's question.
    const first = claimOf();
    const started = await store.createRun(newRun(tenantId, { messageClaim: first }));
    await expect(
      store.requestResume(tenantId, runId, message("hello"), ["waiting"], first),
    ).rejects.toBeInstanceOf(Copy);
    expect(await requests(runId)).toBe(1);
    expect((await claims(first.key))[0]!.run_id).toBe(started.id);
  });

  it("claims nothing for a request the run's status refuses", async () => {
    const run = await store.createRun(newRun(tenantId));
    const claim = claimOf();
    expect(await store.requestResume(tenantId, run.id, message("hi"), ["waiting"], claim)).toBeUndefined();
    expect(await claims(claim.key)).toEqual([]);
  });

  it.runIf(kind === "pg")("records one of two copies sent at the same moment", async () => {
    const runId = await waitingRun();
    const claim = claimOf();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        store.requestResume(tenantId, runId, message("AO-2"), ["waiting"], claim),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const refused of outcomes.filter((o) => o.status === "rejected"))
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(Copy);
    expect(await requests(runId)).toBe(1);
  });
});
