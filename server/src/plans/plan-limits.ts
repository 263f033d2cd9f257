/** The seed's service packages. `null` means unlimited. */
export type PlanName = "free" | "pro" | "enterprise";

export interface PlanLimits {
  /** Runs started per calendar month (UTC). */
  readonly runsPerMonth: number | null;
  /** Customer messages per minute, over all of the tenant's channels. */
  readonly messagesPerMinute: number | null;
  /** Members plus pending invitations. */
  readonly seats: number | null;
  /** Live (not deleted) workflows. */
  readonly workflows: number | null;
  /** Runs executing at once (the queue's per-tenant concurrency). */
  readonly concurrentRuns: number;
  /**
   * Days a run's history is kept after its last change (runs/run-retention.ts): its trace, conversation memory,
   * webhook message ids and handoff transcripts. At least the analytics' default window of 30 days.
   */
  readonly runHistoryDays: number;
}

export const PLAN_LIMITS: Readonly<Record<PlanName, PlanLimits>> = {
  free: {
    runsPerMonth: 1_000,
    messagesPerMinute: 30,
    seats: 3,
    workflows: 5,
    concurrentRuns: 2,
    runHistoryDays: 30,
  },
  pro: {
    runsPerMonth: 50_000,
    messagesPerMinute: 600,
    seats: 25,
    workflows: 100,
    concurrentRuns: 10,
    runHistoryDays: 90,
  },
  enterprise: {
    runsPerMonth: null,
    messagesPerMinute: 6_000,
    seats: null,
    workflows: null,
    concurrentRuns: 50,
    runHistoryDays: 365,
  },
};

export const PLAN_NAMES = Object.keys(PLAN_LIMITS) as PlanName[];

export function limitsOf(plan: string): PlanLimits {
  return PLAN_LIMITS[(plan in PLAN_LIMITS ? plan : "free") as PlanName];
}
