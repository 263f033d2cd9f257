import type { EventEmitter } from "node:events";
import { TERMINAL_STATUSES, type RunRecord, type RunStatus } from "@flowdeck/runtime";
import type { RunEventBatch } from "./run-host";

/** Statuses at which a run has stopped for now: nothing executes until a message, a human or nobody acts. */
export const SETTLED_STATUSES: ReadonlySet<RunStatus> = new Set([...TERMINAL_STATUSES, "waiting", "handoff"]);
const SETTLING_EVENTS = new Set([
  "run.waiting",
  "run.handoff",
  "run.completed",
  "run.failed",
  "run.cancelled",
]);

/**
 * RunHost.settled over an event emitter keyed by tenant id: re-reads the run whenever one of its batches
 * carries a settling event, until it is settled past `afterStateVersion` or the timeout passes. With
 * `pollMs` it also re-reads on a timer: events relayed over Redis pub/sub can be lost (at most once), events
 * of this process's own engine cannot, so the inline host does not poll.
 */
export function createSettledWaiter(
  events: EventEmitter,
  getRun: (tenantId: string, runId: string) => Promise<RunRecord>,
  pollMs?: number,
) {
  return function settled(
    tenantId: string,
    runId: string,
    timeoutMs: number,
    afterStateVersion = -1,
  ): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      let finished = false;
      const finish = (run: RunRecord) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(poll);
        events.off(tenantId, onBatch);
        resolve(run);
      };
      const check = (force: boolean) =>
        getRun(tenantId, runId).then((run) => {
          if (force || (SETTLED_STATUSES.has(run.status) && run.stateVersion > afterStateVersion))
            finish(run);
        }, reject);
      const onBatch = (batch: RunEventBatch) => {
        if (batch.runId === runId && batch.events.some((e) => SETTLING_EVENTS.has(e.type))) void check(false);
      };
      const timer = setTimeout(() => void check(true), timeoutMs);
      const poll = pollMs ? setInterval(() => void check(false), pollMs) : undefined;
      events.on(tenantId, onBatch);
      // Subscribed first, then read: a run that settles in between is caught by one or the other.
      void check(false);
    });
  };
}
