import type { Engine } from "../engine/engine";
import type { Logger } from "@flowdeck/node-library/runtime";
import { QueueError } from "./queue-errors";
import type { RunJob, RunQueue } from "./run-queue";

export interface InlineQueueOptions {
  readonly engine: Engine;
  /** Runs executing at once in this process. Default 8. */
  readonly concurrency?: number;
  readonly log?: Logger;
}

export interface InlineRunQueue extends RunQueue {
  readonly driver: "inline";
  /** Resolves when nothing is executing or waiting (tests, shutdown). */
  drain(): Promise<void>;
}

/**
 * The embedded single process's queue (DESIGN.md §6): runs execute in this process through the same
 * `continueRun` the BullMQ worker calls, at most `concurrency` at a time, in arrival order. Nothing survives a
 * restart here; the outbox dispatcher and reconciler put stored runs back on startup.
 */
export function createInlineQueue(options: InlineQueueOptions): InlineRunQueue {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new QueueError("FD282", `concurrency must be a positive integer, got ${concurrency}.`);
  }
  const waiting: RunJob[] = [];
  const known = new Set<string>();
  let active = 0;
  let closed = false;
  let idle: Array<() => void> = [];

  function pump(): void {
    while (active < concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      active += 1;
      void options.engine
        .continueRun(job.tenantId, job.runId)
        .catch((error: unknown) =>
          options.log?.error("inline run failed outside the engine", {
            runId: job.runId,
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          active -= 1;
          known.delete(job.runId);
          pump();
        });
    }
    if (active === 0 && waiting.length === 0) {
      const resolve = idle;
      idle = [];
      for (const done of resolve) done();
    }
  }

  async function add(jobs: readonly RunJob[]): Promise<void> {
    if (closed) throw new QueueError("FD280", "The run queue is closed.");
    for (const job of jobs) {
      // Same dedupe as BullMQ's jobId: a run already waiting or executing here is not added twice.
      if (known.has(job.runId)) continue;
      known.add(job.runId);
      waiting.push({ tenantId: job.tenantId, runId: job.runId });
    }
    pump();
  }

  const drain = () =>
    new Promise<void>((resolve) => (active === 0 && waiting.length === 0 ? resolve() : idle.push(resolve)));
  return {
    driver: "inline",
    enqueueStart: (tenantId, runId) => add([{ tenantId, runId }]),
    enqueueMany: add,
    isLive: async (runId) => known.has(runId),
    drain,
    async close() {
      closed = true;
      waiting.length = 0;
      await drain();
    },
  };
}
