import { afterAll, describe, expect, it, vi } from "vitest";
import { createJobAdmission } from "../../src/queue/job-admission";
import { createRedisConnection } from "../../src/queue/redis-connection";
import { pendingCountKey, waitingSinceKey } from "../../src/queue/tenant-fairness";
import { createTenantLimiter, leasesKey } from "../../src/queue/tenant-limits";
import { REDIS_URL, dropPrefix, uniquePrefix } from "./queue-support";

/** The worker's one script per job start: leave the tenant's line, take a tenant slot (no database needed). */
describe("job admission", () => {
  const prefix = uniquePrefix("admit");
  const redis = createRedisConnection(REDIS_URL, { autoPipelining: true });
  const admission = createJobAdmission(redis, prefix, 60_000);
  const limiter = createTenantLimiter(redis, prefix, 60_000);
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("a first start leaves the line once, never below zero, and drops the job's enqueue time", async () => {
    await redis.set(pendingCountKey(prefix, "t1"), 1);
    await redis.zadd(waitingSinceKey(prefix), 1, "job-a");
    expect(await admission.admit({ tenantId: "t1", jobId: "job-a", leaveLine: true })).toEqual({
      granted: true,
    });
    expect(await redis.get(pendingCountKey(prefix, "t1"))).toBe("0");
    expect(await redis.zscore(waitingSinceKey(prefix), "job-a")).toBeNull();
    // Counted before a Redis restart, given back after it: no credit.
    await admission.admit({ tenantId: "t1", jobId: "job-b", leaveLine: true });
    expect(await redis.get(pendingCountKey(prefix, "t1"))).toBe("0");
    // A redelivery does not leave the line again.
    await redis.set(pendingCountKey(prefix, "t1"), 3);
    await admission.admit({ tenantId: "t1", jobId: "job-c", leaveLine: false });
    expect(await redis.get(pendingCountKey(prefix, "t1"))).toBe("3");
  });

  it("grants the plan's slots, keeps a redelivered job's lease, refuses the next and frees on release", async () => {
    const limits = { concurrentRuns: 2, runsPerSecond: null };
    const admit = (jobId: string) => admission.admit({ tenantId: "t2", jobId, leaveLine: true, limits });
    // Issued together: one auto-pipelined write, still one atomic decision each.
    const answers = await Promise.all([admit("a"), admit("b"), admit("c")]);
    expect(answers.filter((a) => a.granted)).toHaveLength(2);
    const refused = answers.find((a) => !a.granted);
    expect(refused && !refused.granted && refused.retryInMs).toBeGreaterThanOrEqual(50);
    expect(await limiter.active("t2")).toBe(2);
    const holder = (await redis.zrange(leasesKey(prefix, "t2"), "0", "0"))[0]!;
    expect(await admit(holder)).toEqual({ granted: true });
    await limiter.release("t2", holder);
    expect((await admit("d")).granted).toBe(true);
    // The line is left whatever the slot said: a job sent back to the delayed set started once.
    expect(await redis.get(pendingCountKey(prefix, "t2"))).toBe("0");
  });

  it("over the start rate waits for the next second", async () => {
    // All three in the same second (the clock is held 100 ms into it).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00.100Z"));
    try {
      const limits = { concurrentRuns: 100, runsPerSecond: 2 };
      const answers = [];
      for (const jobId of ["r1", "r2", "r3"]) {
        answers.push(await admission.admit({ tenantId: "t3", jobId, leaveLine: false, limits }));
      }
      expect(answers.slice(0, 2)).toEqual([{ granted: true }, { granted: true }]);
      expect(answers[2]).toEqual({ granted: false, retryInMs: 905 });
    } finally {
      vi.useRealTimers();
    }
  });
});
