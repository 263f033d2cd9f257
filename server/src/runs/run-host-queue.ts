import type { Logger } from "@flowdeck/node-library/runtime";
import {
  createBullmqQueue,
  createInlineQueue,
  createRunEventBus,
  type Engine,
  type QueueStats,
  type RunEventBus,
  type RunQueue,
} from "@flowdeck/runtime";
import type { RunEventBatch } from "./run-host";

export type RunHostDriver =
  | {
      readonly kind: "inline";
      /** Runs executing at once in this process. Default 8. */ readonly concurrency?: number;
    }
  | {
      readonly kind: "bullmq";
      readonly redisUrl: string;
      /** Default `flowdeck`. */ readonly prefix?: string;
    };

export interface HostQueue {
  readonly queue: RunQueue & { drain?: () => Promise<void> };
  /** Redis queue statistics (bullmq only): /metrics gauges and /readyz. */
  readonly queueStats?: () => Promise<QueueStats>;
  /** True when events arrive over Redis pub/sub, which may drop a batch (inline events cannot be lost). */
  readonly eventsMayBeLost: boolean;
  /** Resolves once worker events can arrive (the Redis subscription is up; at once inline). */
  whenReady(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The queue half of a RunHost. Inline: the engine executes runs in this process and its own `onEvents` feeds
 * subscribers. BullMQ: jobs go to Redis for `flowdeck worker` processes (the engine here only records resume
 * requests), and their event batches come back over the Redis bus into `publish`.
 */
export function createHostQueue(
  driver: RunHostDriver,
  engine: Engine,
  publish: (batch: RunEventBatch) => void,
  log: Logger,
): HostQueue {
  if (driver.kind === "inline") {
    const queue = createInlineQueue({ engine, concurrency: driver.concurrency ?? 8, log });
    return { queue, eventsMayBeLost: false, whenReady: () => Promise.resolve(), close: () => queue.close() };
  }
  const prefix = driver.prefix ?? "flowdeck";
  const queue = createBullmqQueue({ redisUrl: driver.redisUrl, prefix, engine, log });
  const bus: RunEventBus = createRunEventBus({ redisUrl: driver.redisUrl, prefix });
  bus.subscribe((message) => publish(message));
  return {
    queue,
    eventsMayBeLost: true,
    queueStats: () => queue.queueStats(),
    whenReady: () => bus.whenSubscribed(),
    async close() {
      await queue.close();
      await bus.close();
    },
  };
}
