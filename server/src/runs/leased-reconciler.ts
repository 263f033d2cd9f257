import { randomUUID } from "node:crypto";
import { createRunReconciler, type Database, type PeriodicTask, type RunQueue } from "@flowdeck/runtime";
import type { Logger } from "../kit/logger";
import { releaseMaintenanceLease, takeMaintenanceLease } from "./maintenance-lease";

const LEASE = "run-reconciler";
const INTERVAL_MS = 30_000;
// Shorter than the interval, as for retention: the next pass is done by whichever process comes first after it
// expires, so a holder that died is replaced within one interval.
const LEASE_MS = INTERVAL_MS * 0.9;

/**
 * The run reconciler (runtime's run-reconciler.ts) under a lease (maintenance_leases, migration 1024): every API
 * process schedules it, one at a time passes. Without it, N processes ran N scans of the unfinished runs every
 * 30 s, and each enqueued its own resume job for the same unapplied message.
 */
export function createLeasedReconciler(options: {
  readonly db: Database;
  readonly queue: RunQueue;
  readonly log: Logger;
}): PeriodicTask {
  const { db, log } = options;
  const holder = randomUUID();
  const reconciler = createRunReconciler({
    db,
    queue: options.queue,
    log,
    intervalMs: INTERVAL_MS,
    mayRun: () => takeMaintenanceLease(db, LEASE, holder, LEASE_MS),
  });
  return {
    ...reconciler,
    async stop() {
      await reconciler.stop();
      // Another process need not wait for the lease to expire.
      await releaseMaintenanceLease(db, LEASE, holder).catch((error: unknown) =>
        log.warn("run reconciler lease not given back", { error }),
      );
    },
  };
}
