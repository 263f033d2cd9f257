import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createApp, type CreateAppOptions } from "../src/app/create-app";
import { createJsonLogger } from "../src/kit/logger";
import { queueReadinessChecks, type QueueStats } from "../src/metrics/queue-stats";
import type { ReadinessCheck } from "../src/metrics/readiness";
import { startTestServer, type TestServer } from "./support/test-server";

const STATS: QueueStats = {
  waiting: 0,
  delayed: 0,
  active: 0,
  failed: 0,
  stalled: 0,
  oldestWaitMs: 0,
  workers: 1,
};

describe.each(["pg", "pglite"] as const)("GET /readyz (%s)", (kind) => {
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  /** An app on the test database with the given readiness options. */
  async function readyz(options: Partial<CreateAppOptions>) {
    const log = createJsonLogger({ level: "debug", write: (line) => void logLines.push(line) });
    const app = createApp({
      db: server.testDb.db,
      config: server.config,
      log,
      runs: server.runs,
      ...options,
    });
    const listening = app.listen(0, "127.0.0.1");
    await once(listening, "listening");
    try {
      const res = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/readyz`);
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  }

  it("is ready when the database answers, and lists the checks it ran", async () => {
    const res = await server.request("GET", "/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ready", checks: { database: "ok" } });
  });

  it("runs plugged-in queue and worker checks and answers 503 naming the one that failed", async () => {
    let stats: QueueStats = STATS;
    let reads = 0;
    const checks = queueReadinessChecks(async () => {
      reads += 1;
      return stats;
    });
    const ready = await readyz({ readinessChecks: checks });
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: "ok", queue: "ok", workers: "ok" });
    expect(reads).toBe(1); // one read of the queue serves both checks

    stats = { ...STATS, workers: 0 };
    const noWorkers = await readyz({ readinessChecks: checks });
    expect(noWorkers.status).toBe(503);
    expect(noWorkers.body.error).toMatchObject({
      code: "FD390",
      message: "Not ready: workers (failed).",
      details: { checks: { database: "ok", queue: "ok", workers: "failed" } },
    });
    expect(noWorkers.body.error.hint).toMatch(/worker/);
  });

  it("reports a hanging check as a timeout and a thrown one as failed, without their error texts", async () => {
    const hanging: ReadinessCheck = {
      name: "queue",
      timeoutMs: 50,
      check: (signal) =>
        new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    };
    const throwing: ReadinessCheck = {
      name: "workers",
      check: () => {
        throw new Error("connect ECONNREFUSED 10.1.2.3:6379");
      },
    };
    const res = await readyz({ readinessChecks: [hanging, throwing] });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe("Not ready: queue (timeout), workers (failed).");
    expect(res.body.error.details.checks).toEqual({ database: "ok", queue: "timeout", workers: "failed" });
    expect(JSON.stringify(res.body)).not.toContain("10.1.2.3");
    // The operator still finds the reason in the log.
    expect(logLines.some((line) => line.includes("10.1.2.3") && line.includes('"check":"workers"'))).toBe(
      true,
    );
  });

  it("names the database when it is gone, beside checks that pass", async () => {
    const res = await readyz({
      db: { ...server.testDb.db, transaction: () => Promise.reject(new Error("connection refused")) },
      readinessChecks: queueReadinessChecks(async () => STATS),
    });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: "FD390",
      message: "Not ready: database (failed).",
      details: { checks: { database: "failed", queue: "ok", workers: "ok" } },
    });
    expect(res.body.error.hint).toMatch(/database/);
  });
});
