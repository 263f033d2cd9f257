import type { Logger } from "@flowdeck/node-library/runtime";

export interface PeriodicTask {
  /** One pass now; returns what the pass reported (rows moved, runs re-enqueued). */
  runOnce(): Promise<number>;
  /** Passes every `intervalMs` until `stop`; a pass never overlaps the previous one. */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * A self-rescheduling loop (setTimeout after each pass, not setInterval), so a slow pass while Redis or the
 * database is down never piles up concurrent passes. A failed pass is logged and tried again next interval.
 */
export function periodicTask(
  name: string,
  intervalMs: number,
  pass: () => Promise<number>,
  log: Logger,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  function runOnce(): Promise<number> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) =>
          log.warn(`${name} pass failed`, { error: error instanceof Error ? error.message : String(error) }),
        )
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
