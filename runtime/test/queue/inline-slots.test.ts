import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine";
import type { RunRecord } from "../../src/engine/run-types";
import { createInlineQueue } from "../../src/queue/inline-queue";

// runInSlot: an activation its caller performs (a synchronous webhook call) shares the inline queue's slots
// and counts as live, like a job.
function recordOf(runId: string): RunRecord {
  return { id: runId, tenantId: "t", status: "completed", state: { frames: [] } } as unknown as RunRecord;
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("inline queue slots", () => {
  function setup() {
    const continued: string[] = [];
    const errors: string[] = [];
    // Only what jobs and close call: the slot logic is under test, not the engine's.
    const engine = {
      continueRun: async (_tenantId: string, runId: string) => {
        continued.push(runId);
        return recordOf(runId);
      },
      handBack: async () => 0,
    } as unknown as Engine;
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message: string) => void errors.push(message),
    };
    const queue = createInlineQueue({ engine, concurrency: 1, log });
    return { queue, continued, errors };
  }

  it("holds a slot while the caller's activation runs; the run is live; jobs wait for the slot", async () => {
    const { queue, continued } = setup();
    const release = gate();
    const mine = queue.runInSlot("t", "run-a", async () => {
      await release.promise;
      return recordOf("run-a");
    });
    await queue.enqueueStart("t", "run-b");
    expect(await queue.isLive("run-a")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(continued).toEqual([]);

    // A job for the same run while it executes: applied once the activation ends, as for a job.
    await queue.enqueueStart("t", "run-a");
    release.open();
    await expect(mine).resolves.toMatchObject({ id: "run-a" });
    await queue.drain();
    expect(continued.sort()).toEqual(["run-a", "run-b"]);
    expect(await queue.isLive("run-a")).toBe(false);
  });

  it("hands the activation's failure to its caller, frees the slot and logs nothing", async () => {
    const { queue, continued, errors } = setup();
    const refused = new Error("replayed");
    await expect(queue.runInSlot("t", "run-c", () => Promise.reject(refused))).rejects.toBe(refused);
    await queue.enqueueStart("t", "run-d");
    await queue.drain();
    expect(continued).toEqual(["run-d"]);
    expect(errors).toEqual([]);
    await queue.close();
    await expect(queue.runInSlot("t", "run-e", async () => recordOf("run-e"))).rejects.toMatchObject({
      code: "FD280",
    });
  });

  it("rejects an activation still waiting for a slot when the queue closes (FD280), not leaving it hanging", async () => {
    const { queue } = setup();
    const release = gate();
    const running = queue.runInSlot("t", "run-f", async () => {
      await release.promise;
      return recordOf("run-f");
    });
    const waiting = queue.runInSlot("t", "run-g", async () => recordOf("run-g"));
    const closed = queue.close();
    await expect(waiting).rejects.toMatchObject({ code: "FD280" });
    expect(await queue.isLive("run-g")).toBe(false);
    release.open();
    await expect(running).resolves.toMatchObject({ id: "run-f" });
    await closed;
  });
});
