import type { Logger } from "@flowdeck/node-library/runtime";
import {
  createBullmqQueue,
  createInlineQueue,
  createRunEventBus,
  type Engine,
  type QueueStats,
  type RunEventBus,
  type RunQueue,
  type RunRecord,
} from "@flowdeck/runtime";
import type { ConversationNotice, RunEventBatch } from "./run-host";

/** A notice travelling between processes: the run event bus's framing, on a channel of its own. */
export interface NoticeMessage {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly notice: ConversationNotice;
}

export type RunHostDriver =
  | {
      readonly kind: "inline";
      /** Runs executing at once in this process. Default 8. */ readonly concurrency?: number;
      /** Runs of one tenant executing at once (its plan's cap: plans/tenant-run-caps.ts). Default none. */
      readonly tenantConcurrency?: (tenantId: string) => number;
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
  /** Inline only: an activation its caller performs, in one of the queue's slots (InlineRunQueue.runInSlot). */
  readonly runInSlot?: (
    tenantId: string,
    runId: string,
    work: () => Promise<RunRecord>,
  ) => Promise<RunRecord>;
  /** True when events arrive over Redis pub/sub, which may drop a batch (inline events cannot be lost). */
  readonly eventsMayBeLost: boolean;
  /** Resolves once worker events can arrive (the Redis subscription is up; at once inline). */
  whenReady(): Promise<void>;
  /** Hands a notice to every process's `onNotice` (this one's directly when inline). */
  notify(message: NoticeMessage): void;
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
  onNotice: (message: NoticeMessage) => void,
  log: Logger,
): HostQueue {
  if (driver.kind === "inline") {
    const queue = createInlineQueue({
      engine,
      concurrency: driver.concurrency ?? 8,
      ...(driver.tenantConcurrency ? { tenantConcurrency: driver.tenantConcurrency } : {}),
      log,
    });
    return {
      queue,
      runInSlot: (tenantId, runId, work) => queue.runInSlot(tenantId, runId, work),
      eventsMayBeLost: false,
      whenReady: () => Promise.resolve(),
      notify: onNotice,
      close: () => queue.close(),
    };
  }
  const prefix = driver.prefix ?? "flowdeck";
  const queue = createBullmqQueue({ redisUrl: driver.redisUrl, prefix, engine, log });
  const bus: RunEventBus = createRunEventBus({ redisUrl: driver.redisUrl, prefix });
  bus.subscribe((message) => publish(message));
  // Notices reuse the bus (JSON, batching, reconnects) on their own channel, so run-event listeners never see
  // them: the notice rides as the one event of a message with no run.
  const notices: RunEventBus = createRunEventBus({
    redisUrl: driver.redisUrl,
    prefix: `${prefix}:notices`,
    log,
  });
  notices.subscribe((message) => {
    const notice = message.events[0]?.data;
    if (notice) onNotice({ tenantId: message.tenantId, conversationId: message.conversationId, notice });
  });
  return {
    queue,
    eventsMayBeLost: true,
    queueStats: () => queue.queueStats(),
    whenReady: () => Promise.all([bus.whenSubscribed(), notices.whenSubscribed()]).then(() => undefined),
    notify(message) {
      notices
        .publish({
          tenantId: message.tenantId,
          runId: "",
          conversationId: message.conversationId,
          events: [{ type: "message.sent", data: { ...message.notice }, at: new Date().toISOString() }],
        })
        .catch((error: unknown) =>
          log.warn("conversation notice not published", {
            error: error instanceof Error ? error.message : String(error),
          }),
        );
    },
    async close() {
      await queue.close();
      await Promise.all([bus.close(), notices.close()]);
    },
  };
}
