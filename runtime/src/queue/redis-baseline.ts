import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createRedisConnection } from "./redis-connection";

/**
 * What this Redis can do for BullMQ with no work in the job: the baseline that run throughput is compared with
 * (`pnpm bench`, and an operator checking a new Redis). Uses its own queue name under `prefix`; obliterates it
 * afterwards.
 */
export async function measureNoopThroughput(options: {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly jobs: number;
  readonly concurrency: number;
}): Promise<{ jobsPerSecond: number; commandsPerJob: number }> {
  const connection = createRedisConnection(options.redisUrl);
  const queue = new Queue("noop", { connection, prefix: options.prefix });
  let done = 0;
  let finished: (() => void) | undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker(
    "noop",
    async () => {
      done += 1;
      if (done === options.jobs) finished?.();
    },
    { connection, prefix: options.prefix, concurrency: options.concurrency, autorun: false },
  );
  try {
    const before = await redisCommandCount(connection);
    const started = performance.now();
    for (let i = 0; i < options.jobs; i += 500) {
      const size = Math.min(500, options.jobs - i);
      await queue.addBulk(
        Array.from({ length: size }, (_, k) => ({
          name: "noop",
          data: { i: i + k },
          opts: { removeOnComplete: 1_000, removeOnFail: 1_000 },
        })),
      );
    }
    void worker.run();
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    const commands = (await redisCommandCount(connection)) - before;
    return { jobsPerSecond: options.jobs / seconds, commandsPerJob: commands / options.jobs };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

/** Commands Redis has executed since it started (all clients), from `INFO commandstats`. */
export async function redisCommandCount(redis: Redis): Promise<number> {
  let total = 0;
  for (const calls of (await redisCommandStats(redis)).values()) total += calls;
  return total;
}

/**
 * Calls per command kind since Redis started (all clients; commands run inside Lua scripts count as their own
 * kind, the script itself as `evalsha`/`eval`). Diff two readings to price one piece of work.
 */
export async function redisCommandStats(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info("commandstats");
  const stats = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats.set(match[1]!, Number(match[2]));
  return stats;
}

/** `after - before` per kind, kinds that did not change left out. */
export function diffCommandStats(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  const diff = new Map<string, number>();
  for (const [kind, calls] of after) {
    const delta = calls - (before.get(kind) ?? 0);
    if (delta > 0) diff.set(kind, delta);
  }
  return diff;
}

/** The same count over a short-lived connection of its own (callers without an ioredis client). */
export async function readRedisCommandCount(redisUrl: string): Promise<number> {
  const connection = createRedisConnection(redisUrl);
  try {
    return await redisCommandCount(connection);
  } finally {
    await connection.quit().catch(() => connection.disconnect());
  }
}

/** Per-kind counts over a short-lived connection of its own. */
export async function readRedisCommandStats(redisUrl: string): Promise<Map<string, number>> {
  const connection = createRedisConnection(redisUrl);
  try {
    return await redisCommandStats(connection);
  } finally {
    await connection.quit().catch(() => connection.disconnect());
  }
}
