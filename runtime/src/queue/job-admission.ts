import type { Redis } from "ioredis";
import { defineScript } from "./redis-script";
import { LEAVE_LINE_LUA, pendingCountKey, waitingSinceKey } from "./tenant-fairness";
import {
  ACQUIRE_SLOT_LUA,
  leasesKey,
  rateKey,
  slotAnswer,
  type PlanQueueLimits,
  type SlotAnswer,
} from "./tenant-limits";

// KEYS: pending count, wait-time set, leases, this second's start counter. ARGV: job id, leave the line (1/0),
// take a slot (1/0), now ms, lease ms, concurrency, starts per second. The line is left whatever the slot
// answer: a job sent back to the delayed set has started once, and its next start is not a first one.
const ADMIT = `${LEAVE_LINE_LUA}${ACQUIRE_SLOT_LUA}
if ARGV[2] == '1' then leave_line(KEYS[1], KEYS[2], ARGV[1]) end
if ARGV[3] == '1' then return acquire_slot(KEYS[3], KEYS[4], ARGV[4], ARGV[5], ARGV[6], ARGV[1], ARGV[7]) end
return 0`;

export interface AdmissionRequest {
  readonly tenantId: string;
  readonly jobId: string;
  /** The job's first start: it leaves its tenant's line (tenant-fairness.ts). */
  readonly leaveLine: boolean;
  /** The tenant's plan limits; absent = no slot to take (limits off, or a timeout job). */
  readonly limits?: PlanQueueLimits;
}

/**
 * What a worker does before executing a job, in one script and one round trip: the job leaves its tenant's
 * line (fairness) and takes one of its tenant's slots (plan limits). Two scripts would cost two socket writes
 * per run; the logic is the same Lua as TenantFairness.started and TenantLimiter.acquire.
 */
export function createJobAdmission(
  redis: Redis,
  prefix: string,
  leaseMs: number,
): { admit(request: AdmissionRequest): Promise<SlotAnswer> } {
  const admit = defineScript(redis, "job_admit", 4, ADMIT);
  const since = waitingSinceKey(prefix);
  return {
    async admit({ tenantId, jobId, leaveLine, limits }) {
      if (!leaveLine && !limits) return { granted: true };
      const now = Date.now();
      const answer = await admit(
        [
          pendingCountKey(prefix, tenantId),
          since,
          leasesKey(prefix, tenantId),
          rateKey(prefix, tenantId, now),
        ],
        [
          jobId,
          leaveLine ? 1 : 0,
          limits ? 1 : 0,
          now,
          leaseMs,
          limits?.concurrentRuns ?? 0,
          limits?.runsPerSecond ?? 0,
        ],
      );
      return slotAnswer(Number(answer), now);
    },
  };
}
