import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "@flowdeck/runtime";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import {
  createQueuedRuns,
  REDIS_URL,
  testEngine,
  uniquePrefix,
} from "../../runtime/test/queue/queue-support";
import { silentServerLogger } from "../src/kit/logger";
import { createLeasedReconciler } from "../src/runs/leased-reconciler";
import { runServerMigrations } from "../src/store/server-migrations";

// Every API process schedules the reconciler; one at a time does the passes. Two processes' reconcilers on one
// database and one Redis: a stuck run (its job lost) is re-enqueued once, by whichever holds the lease, and the
// other takes over once the holder stops.
describe("the run reconciler under a lease", () => {
  let testDb: TestDatabase;
  let tenantId: string;
  let queue: BullmqRunQueue;
  const prefix = uniquePrefix("leased-reconciler");

  beforeAll(async () => {
    testDb = await createTestDatabase("pg");
    await runServerMigrations(testDb.db);
    tenantId = await testDb.createTenant("Acme", { seed: true });
    // No worker: an enqueued job stays waiting, so the queue reports it live.
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, engine: testEngine(testDb.db).engine });
  }, 60_000);
  afterAll(async () => {
    // The prefix is this file's own (as multi-process.test.ts does, its few keys are left to the test Redis).
    await queue?.close();
    await testDb?.close();
  });

  /** A queued run whose job was never enqueued, untouched for five minutes: what the reconciler exists for. */
  async function stuckRun(): Promise<string> {
    const [runId] = await createQueuedRuns(testEngine(testDb.db), tenantId, 1);
    await testDb.db.ownerTransaction((sql) =>
      sql.query("UPDATE runs SET updated_at = now() - interval '5 minutes' WHERE id = $1", [runId]),
    );
    return runId!;
  }

  it("passes in one process at a time, and in another once the holder stops", async () => {
    const first = createLeasedReconciler({ db: testDb.db, queue, log: silentServerLogger });
    const second = createLeasedReconciler({ db: testDb.db, queue, log: silentServerLogger });
    const lost = await stuckRun();
    expect(await first.runOnce()).toBe(1);
    expect(await queue.isLive(lost)).toBe(true);
    // The lease is the first's: the second's pass does nothing, even with a run to re-enqueue.
    const next = await stuckRun();
    expect(await second.runOnce()).toBe(0);
    expect(await queue.isLive(next)).toBe(false);
    // Its holder's next pass finds it.
    expect(await first.runOnce()).toBe(1);

    await first.stop();
    const after = await stuckRun();
    expect(await second.runOnce()).toBe(1);
    expect(await queue.isLive(after)).toBe(true);
    await second.stop();
  }, 30_000);
});
