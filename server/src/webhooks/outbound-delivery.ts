import { createSafeHttpClient } from "@flowdeck/runtime";
import type { Logger } from "../app/logger";
import type { ChatOptions } from "../chat/chat-options";
import { MESSAGE_ID_HEADER, SIGNATURE_HEADER, signPayload } from "./webhook-signature";

/** One thing to tell a webhook channel's receiver: a reply of the flow or an agent, or a handoff notice. */
export interface OutboundMessage {
  readonly type: "reply" | "handoff";
  readonly id: string;
  readonly conversationId: string;
  readonly text: string;
  readonly author?: "bot" | "agent";
  readonly at: string;
}

export interface OutboundTarget {
  readonly url: string;
  readonly secret: string;
  readonly channelId: string;
}

export interface OutboundDelivery {
  /** Delivers in the background with retries; resolves when delivered or given up (tests await it). */
  deliver(target: OutboundTarget, message: OutboundMessage): Promise<boolean>;
  /** Resolves when every delivery in flight has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Replies POSTed to the channel's URL, signed like inbound calls (`Flowdeck-Signature`), with the message id in
 * `Flowdeck-Message-Id` so receivers dedupe our retries. Through the runtime's safe HTTP client: a tenant's URL
 * may not reach our internal network (loopback, private ranges, metadata) unless the operator allow-lists it.
 * Retries: `outboundAttempts` with exponential backoff from `outboundBackoffMs` on network errors, 408, 429 and
 * 5xx. Kept in memory: a restart drops pending retries (a durable outbox is future work).
 */
export function createOutboundDelivery(options: ChatOptions, log: Logger): OutboundDelivery {
  const http = createSafeHttpClient({
    allowList: [...options.outboundAllowList],
    userAgent: "Flowdeck-Webhooks/1",
  });
  const inFlight = new Set<Promise<boolean>>();
  const closing = new AbortController();

  async function attempt(
    target: OutboundTarget,
    body: string,
    messageId: string,
  ): Promise<"ok" | "retry" | "fail"> {
    try {
      const response = await http.request({
        method: "POST",
        url: target.url,
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signPayload(target.secret, Math.floor(Date.now() / 1000), body),
          [MESSAGE_ID_HEADER]: messageId,
        },
        body,
        timeoutMs: options.outboundTimeoutMs,
        maxResponseBytes: 64 * 1024,
        followRedirects: false,
        maxRedirects: 0,
        signal: closing.signal,
      });
      if (response.status >= 200 && response.status < 300) return "ok";
      return RETRYABLE(response.status) ? "retry" : "fail";
    } catch (error) {
      // An address the safe client refuses (FD240) will be refused again: no retry.
      const code = (error as { code?: unknown }).code;
      return code === "FD240" || code === "FD244" ? "fail" : "retry";
    }
  }

  async function run(target: OutboundTarget, message: OutboundMessage): Promise<boolean> {
    const body = JSON.stringify(message);
    for (let n = 1; n <= options.outboundAttempts && !closing.signal.aborted; n += 1) {
      const result = await attempt(target, body, message.id);
      if (result === "ok") return true;
      if (result === "fail") break;
      if (n < options.outboundAttempts) await sleep(options.outboundBackoffMs * 2 ** (n - 1), closing.signal);
    }
    log.warn("webhook delivery failed", { channel: target.channelId, messageId: message.id });
    return false;
  }

  return {
    deliver(target, message) {
      const delivery = run(target, message);
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
      return delivery;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      closing.abort();
      await Promise.allSettled([...inFlight]);
      await http.close();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
