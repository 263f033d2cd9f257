import { Redis } from "ioredis";

/**
 * An ioredis connection the way BullMQ needs it: `maxRetriesPerRequest: null`, so a blocking command is never
 * failed by ioredis while Redis restarts (BullMQ's workers wait and reconnect instead), and a bounded
 * reconnect backoff so a restarted Redis is found again within a second.
 */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(50 * times, 1_000),
  });
}
