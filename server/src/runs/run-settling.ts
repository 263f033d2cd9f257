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

export interface SettledWaiterOptions {
  /** Re-read on this interval too: events relayed over Redis pub/sub can be lost (at most once). */
  readonly pollMs?: number;
  /**
   * The run as this process last committed it, when it is the run's only writer (the inline host): the first
   * check needs no read, and events that carry their run are taken as they are. Such events cannot be lost.
   */
  readonly recent?: (tenantId: string, runId: string) => RunRecord | undefined;
}

/**
 * The emitter key of one run's batches (the host emits every batch under its tenant and under this). A waiter
 * listens to its run only: under the tenant key, each of a thousand waiting chats heard every batch of the other
 * 999 (token events included), and a burst spent its time filtering them.
 */
export const runEventKey = (tenantId: string, runId: string) => `${tenantId}/${runId}`;

/**
 * RunHost.settled over an event emitter (`runEventKey`): looks at the run whenever one of its batches
 * carries a settling event (the batch's own record when it has one, a read otherwise), until it is settled past
 * `afterStateVersion` or the timeout passes; at the timeout it answers a fresh read, whatever it says.
 */
export function createSettledWaiter(
  events: EventEmitter,
  getRun: (tenantId: string, runId: string) => Promise<RunRecord>,
  options: SettledWaiterOptions = {},
) {
  return function settled(
    tenantId: string,
    runId: string,
    timeoutMs: number,
    afterStateVersion = -1,
  ): Promise<RunRecord> {
    const key = runEventKey(tenantId, runId);
    return new Promise((resolve, reject) => {
      let finished = false;
      const finish = (run: RunRecord) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(poll);
        events.off(key, onBatch);
        resolve(run);
      };
      const consider = (run: RunRecord) => {
        if (SETTLED_STATUSES.has(run.status) && run.stateVersion > afterStateVersion) finish(run);
      };
      const check = (force: boolean) =>
        getRun(tenantId, runId).then((run) => (force ? finish(run) : consider(run)), reject);
      const onBatch = (batch: RunEventBatch) => {
        if (!batch.events.some((e) => SETTLING_EVENTS.has(e.type))) return;
        if (batch.run) consider(batch.run);
        else void check(false);
      };
      const timer = setTimeout(() => void check(true), timeoutMs);
      const poll = options.pollMs ? setInterval(() => void check(false), options.pollMs) : undefined;
      events.on(key, onBatch);
      // Subscribed first, then looked at: a run that settles in between is caught by one or the other.
      const known = options.recent?.(tenantId, runId);
      if (known) consider(known);
      else void check(false);
    });
  };
}
