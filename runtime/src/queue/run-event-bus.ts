import type { Redis } from "ioredis";
import type { Logger } from "@flowdeck/node-library/runtime";
import { silentLogger } from "../engine/engine-deps";
import type { RunEvent } from "../engine/run-types";
import { QueueError } from "./queue-errors";
import { createRedisConnection } from "./redis-connection";

/** One batch of events of one run, as the engine hands it to `onEvents` after a commit (or live: `token`). */
export interface RunEventMessage {
  readonly tenantId: string;
  readonly runId: string;
  readonly conversationId: string;
  /**
   * `runs.channel`, so an API process can tell the editor's test runs and replays apart without reading the run.
   * Absent from a worker that predates it (a rolling deploy).
   */
  readonly channel?: string;
  readonly events: readonly RunEvent[];
}

export type RunEventBusListener = (message: RunEventMessage) => void;

export interface RunEventBusOptions {
  readonly redisUrl: string;
  /** Same prefix as the queue's. Default `flowdeck`. */
  readonly prefix?: string;
  /**
   * Publish through this connection (a worker's own auto-pipelined one) instead of opening one; the bus never
   * closes it.
   */
  readonly publisher?: Redis;
  readonly log?: Logger;
}

/**
 * Run events from workers to every API instance (DESIGN.md §4), over Redis pub/sub on one channel per
 * deployment. Pub/sub is at most once: a message published while an instance is disconnected (restart,
 * network blip, Redis restart) is never delivered to it. The event log is the truth: a client that
 * reconnects (or an instance whose subscription was down, see `onReconnect`) catches up with
 * `store.listEvents(tenantId, runId, afterSeq)` from the last seq it saw. Token events are live only and are
 * not in the log; losing some only shortens a stream, the final message is stored.
 */
export interface RunEventBus {
  /** Publishes a batch; resolves when Redis took it (it is not waited for by the engine). */
  publish(message: RunEventMessage): Promise<void>;
  /**
   * Every batch any process publishes, this one included. One Redis subscriber connection per bus (per
   * process), however many listeners. Returns an unsubscribe.
   */
  subscribe(listener: RunEventBusListener): () => void;
  /** Resolves once the subscriber connection listens (tests publish only after it). */
  whenSubscribed(): Promise<void>;
  /** Called after the subscription came back from a disconnect: listeners should catch up from the log. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export function runEventChannel(prefix: string): string {
  return `${prefix}:run-events`;
}

/**
 * Batches published in one event-loop iteration (several jobs committing at once) leave as one PUBLISH of a
 * JSON array, which every subscriber reads as the batches in order; a lone batch is sent as the object itself.
 */
export function createRunEventBus(options: RunEventBusOptions): RunEventBus {
  const channel = runEventChannel(options.prefix ?? "flowdeck");
  const log = options.log ?? silentLogger;
  const listeners = new Set<RunEventBusListener>();
  const reconnectListeners = new Set<() => void>();
  let publisher: Redis | undefined = options.publisher;
  let pending: Array<{ text: string; done: (error?: Error) => void }> = [];
  let subscriber: Redis | undefined;
  let closed = false;
  let subscribedOnce = false;
  let subscribed: Promise<void> = Promise.resolve();

  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    if (!publisher) {
      publisher = createRedisConnection(options.redisUrl, { autoPipelining: true });
      publisher.on("error", (error: Error) => log.warn("run event bus error", { error: error.message }));
    }
    const text = batch.length === 1 ? batch[0]!.text : `[${batch.map((item) => item.text).join(",")}]`;
    publisher.publish(channel, text).then(
      () => batch.forEach((item) => item.done()),
      (error: Error) => batch.forEach((item) => item.done(error)),
    );
  }

  function ensureSubscriber(): void {
    if (subscriber || closed) return;
    const connection = createRedisConnection(options.redisUrl);
    subscriber = connection;
    connection.on("error", (error: Error) => log.warn("run event bus error", { error: error.message }));
    // ioredis re-subscribes by itself after a reconnect; 'ready' after the first tells listeners to catch up.
    connection.on("ready", () => {
      if (subscribedOnce) for (const listener of reconnectListeners) listener();
      subscribedOnce = true;
    });
    connection.on("message", (_channel: string, text: string) => {
      let parsed: RunEventMessage | RunEventMessage[];
      try {
        parsed = JSON.parse(text) as RunEventMessage | RunEventMessage[];
      } catch {
        return log.warn("run event bus: unreadable message dropped", {});
      }
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        for (const listener of listeners) {
          try {
            listener(message);
          } catch (error) {
            log.warn("run event listener threw", {
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      }
    });
    subscribed = connection.subscribe(channel).then(
      () => undefined,
      (error: Error) => log.warn("run event bus: subscribe failed", { error: error.message }),
    );
  }

  return {
    publish(message) {
      if (closed) return Promise.reject(new QueueError("FD280", "The run event bus is closed."));
      const { tenantId, runId, conversationId, channel, events } = message;
      const text = JSON.stringify({ tenantId, runId, conversationId, channel, events });
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ text, done: (error) => (error ? reject(error) : resolve()) });
      });
    },
    subscribe(listener) {
      if (closed) throw new QueueError("FD280", "The run event bus is closed.");
      listeners.add(listener);
      ensureSubscriber();
      return () => listeners.delete(listener);
    },
    whenSubscribed: () => subscribed,
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      reconnectListeners.clear();
      flush();
      const owned = publisher === options.publisher ? [subscriber] : [publisher, subscriber];
      for (const connection of owned) {
        await connection?.quit().catch(() => connection.disconnect());
      }
    },
  };
}
