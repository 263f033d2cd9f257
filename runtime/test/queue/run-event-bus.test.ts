import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createRunEventBus, type RunEventBus, type RunEventMessage } from "../../src/queue/run-event-bus";
import { startWorker, type RunWorker } from "../../src/worker/start-worker";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import {
  REDIS_URL,
  createQueuedRuns,
  dropPrefix,
  testEngine,
  testEngineOptions,
  uniquePrefix,
  waitFor,
} from "./queue-support";

/**
 * Two "API instances" (two buses, two subscriber connections) and a worker publishing: every instance sees
 * every committed batch of a run it did not execute, with the run's conversation, in commit order.
 */
describe("run events over Redis pub/sub", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  let worker: RunWorker;
  let busA: RunEventBus;
  let busB: RunEventBus;
  const prefix = uniquePrefix("events");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

  beforeAll(async () => {
    database = await createTestDatabase("pg", { maxConnections: 8 });
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
    busA = createRunEventBus({ redisUrl: REDIS_URL, prefix });
    busB = createRunEventBus({ redisUrl: REDIS_URL, prefix });
    worker = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix,
      concurrency: 2,
      engineOptions: testEngineOptions(),
    });
  });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    await busA.close();
    await busB.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  it("every API instance receives a worker's committed events, routed by tenant, run and conversation", async () => {
    const tenantId = await database.createTenant("events", { seed: true });
    const engine = testEngine(database.db);
    const seenA: RunEventMessage[] = [];
    const seenB: RunEventMessage[] = [];
    const stopA = busA.subscribe((m) => seenA.push(m));
    busB.subscribe((m) => seenB.push(m));
    // Two listeners on one bus share its one subscriber connection.
    const extra: RunEventMessage[] = [];
    busB.subscribe((m) => extra.push(m));
    await Promise.all([busA.whenSubscribed(), busB.whenSubscribed()]);
    const subscribers = (await redis.pubsub("NUMSUB", `${prefix}:run-events`)) as [string, number];
    expect(Number(subscribers[1])).toBe(2);

    const [runId] = await createQueuedRuns(engine, tenantId, 1);
    await queue.enqueueStart(tenantId, runId!);
    await waitFor("run.completed on both instances", async () =>
      [seenA, seenB].every((seen) => seen.some((m) => m.events.some((e) => e.type === "run.completed"))),
    );
    const run = await engine.store.getRun(tenantId, runId!);
    for (const seen of [seenA, seenB, extra]) {
      expect(
        seen.every(
          (m) => m.tenantId === tenantId && m.runId === runId && m.conversationId === run!.conversationId,
        ),
      ).toBe(true);
      // The same events as the log, in order (the log also has run.created, written by createRun).
      const types = seen.flatMap((m) => m.events.map((e) => e.type));
      const logged = (await engine.store.listEvents(tenantId, runId!))
        .map((e) => e.type)
        .filter((t) => t !== "run.created");
      expect(types).toEqual(logged);
    }
    stopA();
    const [second] = await createQueuedRuns(engine, tenantId, 1);
    await queue.enqueueStart(tenantId, second!);
    await waitFor("the second run on B", async () => seenB.some((m) => m.runId === second));
    expect(seenA.some((m) => m.runId === second)).toBe(false);
  });

  it("batches published in one event-loop iteration travel as one PUBLISH and arrive one by one, in order", async () => {
    const raw = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const rawMessages: string[] = [];
    raw.on("message", (_channel: string, text: string) => rawMessages.push(text));
    await raw.subscribe(`${prefix}:run-events`);
    const seen: RunEventMessage[] = [];
    const stop = busB.subscribe((m) => seen.push(m));
    const batch = (n: number): RunEventMessage => ({
      tenantId: "t",
      runId: `run-${n}`,
      conversationId: "c",
      events: [],
    });
    try {
      await Promise.all([1, 2, 3].map((n) => busA.publish(batch(n))));
      // A lone batch is the object itself, as before batching existed.
      await busA.publish(batch(4));
      await waitFor("four batches on B", async () => seen.length >= 4 && rawMessages.length >= 2);
      expect(seen.map((m) => m.runId)).toEqual(["run-1", "run-2", "run-3", "run-4"]);
      expect(rawMessages).toHaveLength(2);
      expect(JSON.parse(rawMessages[0]!)).toHaveLength(3);
      expect(JSON.parse(rawMessages[1]!)).toMatchObject({ runId: "run-4" });
    } finally {
      stop();
      raw.disconnect();
    }
  });
});
