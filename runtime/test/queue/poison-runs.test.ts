import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseEngine, resolveFrom } from "../../src/engine/database-engine";
import { createWorkflowLibrary } from "../../src/engine/workflow-library";
import { createBullmqQueue, type BullmqRunQueue } from "../../src/queue/bullmq-queue";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { POISON_FLOW, poisonRegistry, timesRun } from "../support/poison-nodes";
import { startWorker } from "../../src/worker/start-worker";
import { testkitExecutors } from "../support/testkit-nodes";
import { REDIS_URL, dropPrefix, uniquePrefix, waitFor } from "./queue-support";

const SLOW_FLOW = `name: slow
nodes:
  - { name: start, type: start }
  - { name: stuck, type: testkit.slow }
  - { name: done, type: end }
edges:
  - { from: start, to: stuck }
  - { from: stuck, to: done }
`;

type Driver = "inline" | "bullmq";

/**
 * Issue 15, poison runs: a stored run whose step kills the process (as running out of memory does) must not
 * take the service down after every restart. Each start below is a real process (poison-child.ts) that picks
 * the run up the way a booting server (inline queue + reconciler) or a worker (BullMQ) does. The first two
 * die by SIGKILL in the step; the third fails the run with FD219 without executing the step again.
 */
describe("poison runs across real process deaths", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let queue: BullmqRunQueue;
  const prefix = uniquePrefix("poison");
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const registry = poisonRegistry();
  const workflow = createWorkflowLibrary(registry.catalog()).add(POISON_FLOW);

  beforeAll(async () => {
    database = await createTestDatabase("pg");
    queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    await database.close();
  });

  /** One process start; resolves with how it ended: killed, or the run as it ended. */
  async function start(driver: Driver, runId: string, counterFile: string, deaths: number) {
    const url = `postgres://postgres@127.0.0.1:5432/${database.name}`;
    const child = join(import.meta.dirname, "../support/poison-child.ts");
    const args = [driver, url, runId, counterFile, String(deaths)];
    if (driver === "bullmq") args.push(REDIS_URL, prefix);
    try {
      // Node itself with the tsx loader (not the tsx wrapper), so the process that dies is the one we watch.
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", child, ...args], {
        cwd: join(import.meta.dirname, "../../.."),
        timeout: 60_000,
      });
      return { run: JSON.parse(stdout.trim().split("\n").pop()!) as { status: string; error: unknown } };
    } catch (error) {
      const { signal, stderr } = error as { signal?: string; stderr?: string };
      if (signal !== "SIGKILL")
        throw new Error(`the child did not die by SIGKILL (${signal}): ${stderr ?? ""}`);
      return { signal };
    }
  }

  async function storedRun(driver: Driver, name: string) {
    const tenantId = await database.createTenant(name);
    const { engine } = createDatabaseEngine({
      db: database.db,
      registry,
      resolveWorkflow: resolveFrom(() => undefined),
    });
    const run = await engine.createRun({ tenantId, workflow, input: { message: "hi" } });
    if (driver === "bullmq") await queue.enqueueStart(tenantId, run.id);
    const counterFile = join(mkdtempSync(join(tmpdir(), "flowdeck-poison-")), "runs");
    return { tenantId, runId: run.id, counterFile };
  }

  it.each<Driver>(["inline", "bullmq"])(
    "%s: a run that kills its process twice is failed on the third start without executing the step",
    async (driver) => {
      const { tenantId, runId, counterFile } = await storedRun(driver, `poison ${driver}`);
      expect(await start(driver, runId, counterFile, 99)).toEqual({ signal: "SIGKILL" });
      expect(timesRun(counterFile)).toBe(1);
      expect(await start(driver, runId, counterFile, 99)).toEqual({ signal: "SIGKILL" });
      expect(timesRun(counterFile)).toBe(2);

      const third = await start(driver, runId, counterFile, 99);
      expect(third).toMatchObject({ run: { status: "failed", error: { code: "FD219" } } });
      // The step was not executed a third time.
      expect(timesRun(counterFile)).toBe(2);

      const store = createDatabaseEngine({
        db: database.db,
        registry,
        resolveWorkflow: resolveFrom(() => undefined),
      }).store;
      const run = await store.getRun(tenantId, runId);
      expect(run).toMatchObject({ status: "failed", error: { code: "FD219" } });
      expect(run?.activationsUnfinished).toBeUndefined();
      // A note for staff: what happened, that it was stopped on purpose, where to look.
      expect(run?.error?.message).toMatch(/Stopped to protect the service/);
      expect(run?.error?.message).toMatch(/never finished/);
      expect(run?.error?.message).toMatch(/main\/(start|boom)/);
      const failed = (await store.listEvents(tenantId, runId)).filter((event) => event.type === "run.failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]?.data).toMatchObject({ error: { code: "FD219" }, unfinishedActivations: 2 });
    },
  );

  it("bullmq: a run handed back by a shutdown that ran out of time is not counted as a death", async () => {
    const tenantId = await database.createTenant("hand-back");
    const { engine, store } = createDatabaseEngine({
      db: database.db,
      registry,
      resolveWorkflow: resolveFrom(() => undefined),
    });
    const slow = createWorkflowLibrary(registry.catalog()).add(SLOW_FLOW);
    const run = await engine.createRun({ tenantId, workflow: slow, input: {} });
    const handBackPrefix = uniquePrefix("poison-handback");
    const handBackQueue = createBullmqQueue({ redisUrl: REDIS_URL, prefix: handBackPrefix });
    const worker = startWorker({
      redisUrl: REDIS_URL,
      db: database.db,
      prefix: handBackPrefix,
      shutdownTimeoutMs: 100,
      planLimits: false,
      publishEvents: false,
      engineOptions: {
        registry,
        executors: testkitExecutors().executors,
        resolveWorkflow: resolveFrom(() => undefined),
      },
    });
    try {
      await handBackQueue.enqueueStart(tenantId, run.id);
      await waitFor("the slow run to execute", async () => {
        const stored = await store.getRun(tenantId, run.id);
        return stored?.activationsUnfinished === 1;
      });
    } finally {
      // Its step never ends: the shutdown times out and hands the run back.
      await worker.close();
      await handBackQueue.close();
      await dropPrefix(redis, handBackPrefix);
    }
    const handedBack = await store.getRun(tenantId, run.id);
    expect(handedBack?.status).toBe("queued");
    expect(handedBack?.activationsUnfinished).toBeUndefined();
  });

  it("inline: a run whose process died once resumes and completes on the next start", async () => {
    const { tenantId, runId, counterFile } = await storedRun("inline", "one death");
    expect(await start("inline", runId, counterFile, 1)).toEqual({ signal: "SIGKILL" });
    expect(await start("inline", runId, counterFile, 1)).toMatchObject({ run: { status: "completed" } });
    expect(timesRun(counterFile)).toBe(2);
    const store = createDatabaseEngine({
      db: database.db,
      registry,
      resolveWorkflow: resolveFrom(() => undefined),
    }).store;
    expect(await store.getRun(tenantId, runId)).toMatchObject({
      status: "completed",
      output: { reply: "survived" },
    });
  });
});
