import { Redis } from "ioredis";

export interface RedisConnectionOptions {
  /**
   * ioredis auto-pipelining: every command issued in one event-loop iteration leaves in one socket write. A
   * write costs far more CPU than a command, so connections Flowdeck owns (fairness, tenant slots, event
   * publishing) turn it on; BullMQ's own connections never do (bull reported lost job data with it).
   */
  readonly autoPipelining?: boolean;
}

/**
 * An ioredis connection the way BullMQ needs it: `maxRetriesPerRequest: null`, so a blocking command is never
 * failed by ioredis while Redis restarts (BullMQ's workers wait and reconnect instead), and a bounded
 * reconnect backoff so a restarted Redis is found again within a second.
 */
export function createRedisConnection(redisUrl: string, options: RedisConnectionOptions = {}): Redis {
  return new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    enableAutoPipelining: options.autoPipelining ?? false,
    retryStrategy: (times) => Math.min(50 * times, 1_000),
  });
}
