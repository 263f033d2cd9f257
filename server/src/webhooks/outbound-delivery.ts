import { periodicTask, type Database, type Sql } from "@flowdeck/runtime";
import { createTenantHttpClients } from "../http-access/tenant-http-clients";
import { countAttempt } from "./delivery-stats";
import { currentOutboundTarget, type OutboundTarget } from "./outbound-target";
import type { Logger } from "../kit/logger";
import type { SecretBox } from "../channels/secret-box";
import type { ChatOptions } from "../chat/chat-options";
import {
  claimDue,
  deleteDelivery,
  insertDelivery,
  pruneGivenUp,
  recordFailure,
  type PendingDelivery,
} from "./delivery-store";
import { MESSAGE_ID_HEADER, SIGNATURE_HEADER, signPayload } from "./webhook-signature";

/** One thing to tell a webhook channel's receiver: a reply of the flow or an agent, or a handoff notice. */
export interface OutboundMessage {
  readonly type: "reply" | "handoff";
  readonly id: string;
  readonly conversationId: string;
  readonly text: string;
  readonly author?: "bot" | "agent";
  readonly at: string;
  /** Answers offered as buttons under a reply; the receiver sends a click back as the customer's message. */
  readonly choices?: readonly string[];
}

/** A statement that must commit with a message's row, or refuse it (false: store nothing). */
export type DeliveryGuard = (sql: Sql) => Promise<boolean>;

export interface OutboundDelivery {
  /**
   * Stores the message, then tries it once, unless an older message of its conversation is still owed (the
   * sweeper then sends them in order). True when the receiver took it now; false when it is left to the
   * sweeper's retries or was refused for good.
   */
  deliver(target: OutboundTarget, message: OutboundMessage): Promise<boolean>;
  /**
   * `deliver` for a caller that must hand a message over exactly once (a turn's relay): the row is stored in
   * one transaction with `guard`, which runs first and may refuse (`skipped`: nothing stored). Rejects when
   * the row could not be stored; once stored, the message is `delivered` now or `owed` (the sweeper's).
   */
  deliverGuarded(
    target: OutboundTarget,
    message: OutboundMessage,
    guard: DeliveryGuard,
  ): Promise<"skipped" | "delivered" | "owed">;
  /** One sweeper pass now (tests): attempts the due messages; resolves with how many it attempted. */
  sweep(): Promise<number>;
  /** Resolves when every first attempt in flight has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface OutboundDeliveryDeps {
  readonly db: Database;
  /** Opens a channel's signing secret when the sweeper retries a message. */
  readonly secretBox: SecretBox;
  readonly options: ChatOptions;
  readonly log: Logger;
}

type Attempt = { readonly outcome: "ok" | "retry" | "fail"; readonly error: string };

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;
// A lease outlasts an attempt by this much, so no sweeper takes a row whose attempt is still running.
const LEASE_MARGIN_MS = 5_000;
const SWEEP_BATCH = 50;
const MAX_ROUNDS_PER_PASS = 20;
// Given-up messages stay readable for the operator this long, and are pruned at most once per interval.
const KEEP_GIVEN_UP_MS = 30 * 24 * 3_600_000;
const PRUNE_INTERVAL_MS = 3_600_000;
/**
 * Each wait is drawn between (1 - this) and 1 times its nominal length: receivers that went down together
 * (one deploy, one outage) would otherwise be retried in lockstep bursts. Downward only, so
 * `outboundMaxBackoffMs` stays a hard ceiling.
 */
export const OUTBOUND_RETRY_JITTER = 0.1;

/**
 * How long to wait before the next attempt of a message that failed `attempts` times (1 or more): doubling from
 * `outboundBackoffMs`, at most `outboundMaxBackoffMs`, trimmed by up to `OUTBOUND_RETRY_JITTER` of itself.
 * `random` in [0, 1) (tests pass a constant).
 */
export function outboundRetryWaitMs(
  attempts: number,
  options: Pick<ChatOptions, "outboundBackoffMs" | "outboundMaxBackoffMs">,
  random: () => number = Math.random,
): number {
  // Clamped before exponentiation: 2 ** 1100 is Infinity, and Infinity * 0 (a zero backoff) is NaN.
  const doublings = Math.min(Math.max(attempts - 1, 0), 60);
  const nominal = Math.min(options.outboundBackoffMs * 2 ** doublings, options.outboundMaxBackoffMs);
  return nominal * (1 - OUTBOUND_RETRY_JITTER * random());
}

/**
 * Replies POSTed to the channel's URL, signed like inbound calls (`Flowdeck-Signature`), with the message id in
 * `Flowdeck-Message-Id` so receivers dedupe our retries. Through the runtime's safe HTTP client: a tenant's URL
 * may not reach our internal network (loopback, private ranges, metadata) unless the operator or the tenant's
 * admins allow-list it.
 * Every message is a `webhook_deliveries` row from before its first attempt until its receiver took it, so a
 * restart loses none: any API process's sweeper (every `outboundSweepIntervalMs`) retries due rows, each
 * conversation's oldest first, `outboundAttempts` in all with jittered exponential backoff from
 * `outboundBackoffMs` capped at `outboundMaxBackoffMs` (about a day by default), on network errors, 408, 429
 * and 5xx.
 */
export function createOutboundDelivery(deps: OutboundDeliveryDeps): OutboundDelivery {
  const { db, options, log } = deps;
  // The channel's tenant's allow-list applies to its webhook URL too (issue 19), beside the operator's.
  const http = createTenantHttpClients({
    db,
    operatorAllowList: options.outboundAllowList,
    userAgent: "Flowdeck-Webhooks/1",
  });
  const inFlight = new Set<Promise<unknown>>();
  const closing = new AbortController();
  const leaseMs = options.outboundTimeoutMs + LEASE_MARGIN_MS;

  async function attempt(target: OutboundTarget, body: string, messageId: string): Promise<Attempt> {
    try {
      const response = await http.forTenant(target.tenantId).request({
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
      if (response.status >= 200 && response.status < 300) return { outcome: "ok", error: "" };
      const error = `The receiver answered ${response.status}.`;
      return { outcome: RETRYABLE(response.status) ? "retry" : "fail", error };
    } catch (error) {
      // An address the safe client refuses (FD240) will be refused again: no retry.
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      return { outcome: code === "FD240" || code === "FD244" ? "fail" : "retry", error: message };
    }
  }

  /** Records an attempt's outcome: delivered rows go, failed ones wait for their next try or are given up. */
  async function settle(delivery: PendingDelivery, result: Attempt): Promise<boolean> {
    const attempts = delivery.attempts + 1;
    const givenUp =
      result.outcome === "fail" || (result.outcome === "retry" && attempts >= options.outboundAttempts);
    await db.transaction(
      async (sql) => {
        const outcome = result.outcome === "ok" ? "delivered" : givenUp ? "given-up" : "retry";
        await countAttempt(sql, {
          tenantId: delivery.tenantId,
          channelId: delivery.channelId,
          outcome,
          error: result.error,
        });
        if (result.outcome === "ok") return deleteDelivery(sql, delivery.id);
        const retryInMs = givenUp ? null : outboundRetryWaitMs(attempts, options);
        return recordFailure(sql, delivery.id, attempts, result.error, retryInMs);
      },
      { tenantId: delivery.tenantId },
    );
    if (givenUp)
      log.warn("webhook delivery failed", {
        channel: delivery.channelId,
        messageId: delivery.messageId,
        attempts,
        error: result.error,
      });
    return result.outcome === "ok";
  }

  /** The message's row, unless `guard` (in the same transaction, first) refuses it. */
  function store(target: OutboundTarget, message: OutboundMessage, guard?: DeliveryGuard) {
    return db.transaction(
      async (sql) => {
        if (guard && !(await guard(sql))) return undefined;
        return insertDelivery(sql, {
          tenantId: target.tenantId,
          channelId: target.channelId,
          conversationId: message.conversationId,
          messageId: message.id,
          body: JSON.stringify(message),
          leaseMs,
        });
      },
      { tenantId: target.tenantId },
    );
  }

  /** Its first attempt, now, unless an older message of its conversation is owed. True when it was taken. */
  async function firstAttempt(
    target: OutboundTarget,
    stored: { delivery: PendingDelivery; behind: boolean },
  ): Promise<boolean> {
    if (stored.behind) return false;
    const { delivery } = stored;
    return settle(delivery, await attempt(target, delivery.body, delivery.messageId));
  }

  function tracked<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  let prunedAtMs = 0;

  async function sweepPass(): Promise<number> {
    let attempted = 0;
    if (Date.now() - prunedAtMs >= PRUNE_INTERVAL_MS) {
      prunedAtMs = Date.now();
      await db.ownerTransaction((sql) => pruneGivenUp(sql, KEEP_GIVEN_UP_MS));
    }
    // Rounds: a conversation's next message becomes its head once the one before it was delivered.
    for (let round = 0; round < MAX_ROUNDS_PER_PASS && !closing.signal.aborted; round += 1) {
      const due = await db.ownerTransaction((sql) => claimDue(sql, SWEEP_BATCH, leaseMs));
      if (due.length === 0) break;
      await Promise.all(
        due.map(async (delivery) => {
          const target = await currentOutboundTarget(
            db,
            deps.secretBox,
            delivery.tenantId,
            delivery.channelId,
          );
          const result: Attempt = target
            ? await attempt(target, delivery.body, delivery.messageId)
            : { outcome: "fail", error: "The channel was deleted or has no outbound URL." };
          await settle(delivery, result);
        }),
      );
      attempted += due.length;
    }
    return attempted;
  }

  const sweeper = periodicTask("webhook delivery sweeper", options.outboundSweepIntervalMs, sweepPass, log);
  sweeper.start();

  return {
    deliver(target, message) {
      // Never rejects: callers fire and forget (the inbox), and a database error must not crash the process.
      return tracked(
        store(target, message)
          .then((stored) => firstAttempt(target, stored!))
          .catch((error: unknown) => {
            log.error("webhook delivery not stored", {
              channel: target.channelId,
              messageId: message.id,
              error: error instanceof Error ? error.message : String(error),
            });
            return false;
          }),
      );
    },
    async deliverGuarded(target, message, guard) {
      const stored = await tracked(store(target, message, guard));
      if (!stored) return "skipped";
      // Stored, so owed whatever happens to this attempt: a failure here is the sweeper's to retry.
      const taken = await tracked(firstAttempt(target, stored)).catch((error: unknown) => {
        log.warn("webhook delivery attempt failed", {
          channel: target.channelId,
          messageId: message.id,
          error: error instanceof Error ? error.message : String(error),
        });
        return false;
      });
      return taken ? "delivered" : "owed";
    },
    sweep: () => sweeper.runOnce(),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      closing.abort();
      await sweeper.stop();
      await Promise.allSettled([...inFlight]);
      await http.close();
    },
  };
}
