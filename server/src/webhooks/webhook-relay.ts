import { createRunStore, periodicTask, type Database, type RunStore } from "@flowdeck/runtime";
import type { SecretBox } from "../channels/secret-box";
import type { ChatOptions } from "../chat/chat-options";
import { framesForEvents, type ServerFrame } from "../chat/chat-frames";
import type { Logger } from "../kit/logger";
import type { RunHost } from "../runs/run-host";
import type { OutboundDelivery, OutboundMessage } from "./outbound-delivery";
import { currentOutboundTarget, type OutboundTarget } from "./outbound-target";
import {
  advanceRelay,
  claimAbandoned,
  insertRelay,
  insertRelayOfClaim,
  recordOrphanTurns,
  settleRelay,
  type TurnRelay,
} from "./relay-store";

/** One turn of a webhook conversation whose replies go to the channel's URL. */
export interface RelayedTurn {
  readonly tenantId: string;
  readonly channelId: string;
  readonly conversationId: string;
  readonly runId: string;
  /** Where the turn begins in the run's log (AcceptedMessage.fromSeq). */
  readonly fromSeq: number;
}

export interface TurnRelays {
  /**
   * Records the turn (resolves once it is stored: a message answered 202 cannot lose its replies), then relays
   * it in the background as its run commits, until the turn settles. A turn recorded already (by a copy of its
   * message, `relayCopy`) is left to whoever recorded it.
   */
  relay(turn: RelayedTurn, target: OutboundTarget): Promise<void>;
  /**
   * For a copy of a chat webhook message whose first copy was stored: records and relays the turn that first
   * copy started, if it has no relay yet (its process died before recording it); otherwise nothing. True when
   * it did.
   */
  relayCopy(copy: CopyOfMessage, target: OutboundTarget): Promise<boolean>;
  /** One sweeper pass now (tests): takes over turns whose process let its lease run out; how many it took. */
  sweep(): Promise<number>;
  /**
   * One look for orphan turns now (tests): messages stored with no relay recorded (their process died in between
   * and the sender never retried), recorded for the sweepers; how many.
   */
  recordOrphans(): Promise<number>;
  /** Resolves when every turn this process follows has been relayed or left to the sweepers. */
  idle(): Promise<void>;
  /** Stops following (the turns stay stored: another process's sweeper takes them over). */
  close(): Promise<void>;
}

/** A refused copy of a message, by the key its first copy was claimed under (channels/message-claims.ts). */
export interface CopyOfMessage {
  readonly tenantId: string;
  readonly channelId: string;
  readonly claimKey: string;
}

export interface TurnRelayDeps {
  readonly db: Database;
  /** Wakes a relay when its run commits; without runs nothing is relayed. */
  readonly runs: () => RunHost | undefined;
  readonly delivery: OutboundDelivery;
  readonly secretBox: SecretBox;
  readonly options: ChatOptions;
  readonly log: Logger;
  readonly runStore?: RunStore;
  /** How old a stored message with no relay must be before it counts as orphaned. Default 30 s; tests shorten it. */
  readonly orphanGraceMs?: number;
}

const SETTLING = new Set(["run.waiting", "run.handoff", "run.completed", "run.failed", "run.cancelled"]);
// How long the process that took a message follows its turn (an ask or a slow model included) before leaving
// the rest to the sweepers.
const FOLLOW_MS = 120_000;
// The follower's lease outlasts its follow by this much, so no sweeper takes a turn that is still followed.
const LEASE_MARGIN_MS = 5_000;
// The follower re-reads the log this often besides its wake-ups, which are at most once (Redis pub/sub).
const FOLLOW_POLL_MS = 1_000;
// A sweeper holds a turn it took over this long; one whose run is still executing is looked at again then.
const SWEEP_LEASE_MS = 5_000;
const SWEEP_BATCH = 20;
// A turn not settled by then is given up: its run is stuck, and the run's own limits fail it long before.
const GIVE_UP_MS = 15 * 60_000;
const FOLLOWED_LEASE = { leaseMs: FOLLOW_MS + LEASE_MARGIN_MS, giveUpMs: GIVE_UP_MS };
// The process that stores a message records its relay milliseconds later; one missing after this long never
// will be.
const ORPHAN_GRACE_MS = 30_000;
// Orphan turns are rare (a process dying in a window of milliseconds): looked for a tenth as often as leases.
const ORPHAN_SCANS_PER_SWEEP = 10;

/**
 * The replies of chat webhook turns, read from the run's log (`webhook_relays`; server CONTEXT, Channels):
 * the process that took the message follows the turn, woken by the run's commits; each reply becomes a
 * `webhook_deliveries` row in the transaction that moves the turn's `relayed_seq` past it, so it is handed
 * over exactly once, in order. When that process dies, any process's sweeper takes the turn over once its
 * lease has run out and reads the log on from where it stopped. Should it die after storing the message and
 * before recording the turn, a copy of the message records it (`relayCopy`), and so does the orphan scan for a
 * sender that never sends one.
 */
export function createTurnRelays(deps: TurnRelayDeps): TurnRelays {
  const { db, delivery, log } = deps;
  const runStore = deps.runStore ?? createRunStore(db);
  const following = new Set<Promise<void>>();
  const closing = new AbortController();

  /**
   * Hands over what the log holds of the turn past `relayedSeq`; resolves with the new `relayedSeq` and
   * whether the turn has settled. Stops at the first reply it could not store (the next pass retries it).
   * `read` carries what earlier passes of the same follower read, so each pass reads only the log's new end.
   */
  async function pass(
    turn: TurnRelay,
    target: OutboundTarget,
    read: LogCursor = newCursor(),
  ): Promise<{ relayedSeq: number; settled: boolean }> {
    let relayedSeq = turn.relayedSeq;
    const events = await runStore.listEvents(turn.tenantId, turn.runId, read.seq);
    for (const event of events) {
      const frames = framesForEvents(
        turn.conversationId,
        turn.runId,
        [event],
        false,
        read.counters,
        deps.options.customerFallbackText,
      );
      read.seq = event.seq;
      if (event.seq < turn.fromSeq) continue;
      if (event.seq > relayedSeq) {
        for (const message of outboundMessages(turn.conversationId, frames)) {
          await delivery.deliverGuarded(target, message, (sql) => advanceRelay(sql, turn.id, event.seq));
        }
        relayedSeq = event.seq;
      }
      // What follows answers a later message, which has a relay of its own.
      if (SETTLING.has(event.type)) return { relayedSeq, settled: true };
    }
    return { relayedSeq, settled: false };
  }

  async function finish(turn: TurnRelay): Promise<void> {
    await db.transaction((sql) => settleRelay(sql, turn.id), { tenantId: turn.tenantId });
  }

  /** Relays the turn as its run commits, until it settles, the follow time ends or the process closes. */
  async function follow(stored: TurnRelay, target: OutboundTarget): Promise<void> {
    let turn = stored;
    let wake: (() => void) | undefined;
    // A commit heard while a pass reads: the next pass starts at once instead of after the poll.
    let committed = false;
    const unsubscribe =
      deps.runs()?.subscribe(turn.tenantId, (batch) => {
        if (batch.runId !== turn.runId) return;
        committed = true;
        wake?.();
      }) ?? (() => undefined);
    const onClose = () => wake?.();
    closing.signal.addEventListener("abort", onClose);
    const until = Date.now() + FOLLOW_MS;
    // Kept across this follower's passes; a pass that fails ends the follow, so a cursor never outlives a
    // half-handled event.
    const read = newCursor();
    try {
      // Subscribed first, then read: a commit in between is in the read or wakes the next one.
      while (!closing.signal.aborted) {
        committed = false;
        const progress = await pass(turn, target, read);
        turn = { ...turn, relayedSeq: progress.relayedSeq };
        if (progress.settled) return await finish(turn);
        const left = until - Date.now();
        if (left <= 0) return;
        if (committed) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, FOLLOW_POLL_MS));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } catch (error) {
      // The turn stays stored; once the lease runs out a sweeper carries on from its relayed_seq.
      log.warn("webhook relay interrupted", { runId: turn.runId, error: messageOf(error) });
    } finally {
      unsubscribe();
      closing.signal.removeEventListener("abort", onClose);
    }
  }

  async function takeOver(turn: TurnRelay): Promise<void> {
    const target = await currentOutboundTarget(db, deps.secretBox, turn.tenantId, turn.channelId);
    if (!target) return finish(turn);
    const progress = await pass(turn, target);
    if (progress.settled) return finish(turn);
    if (turn.expired) {
      log.warn("webhook relay given up: the turn did not settle", { runId: turn.runId });
      return finish(turn);
    }
  }

  async function sweepPass(): Promise<number> {
    const abandoned = await db.ownerTransaction((sql) => claimAbandoned(sql, SWEEP_BATCH, SWEEP_LEASE_MS));
    await Promise.all(
      abandoned.map((turn) =>
        takeOver(turn).catch((error: unknown) =>
          log.warn("webhook relay takeover failed", { runId: turn.runId, error: messageOf(error) }),
        ),
      ),
    );
    return abandoned.length;
  }

  const sweeper = periodicTask("webhook relay sweeper", deps.options.outboundSweepIntervalMs, sweepPass, log);
  sweeper.start();

  // Each process looks at the messages stored since its last look (at start, within the give-up time); the
  // relay's key makes two processes finding the same turn record it once.
  let scannedUpTo: string | undefined;
  async function orphanPass(): Promise<number> {
    const found = await db.ownerTransaction((sql) =>
      recordOrphanTurns(sql, scannedUpTo, deps.orphanGraceMs ?? ORPHAN_GRACE_MS, GIVE_UP_MS),
    );
    scannedUpTo = found.upTo;
    if (found.recorded > 0) log.warn("webhook relays recorded for orphan turns", { turns: found.recorded });
    return found.recorded;
  }
  const orphans = periodicTask(
    "webhook orphan turns",
    deps.options.outboundSweepIntervalMs * ORPHAN_SCANS_PER_SWEEP,
    orphanPass,
    log,
  );
  orphans.start();

  function followInBackground(stored: TurnRelay, target: OutboundTarget): void {
    const followed = follow(stored, target);
    following.add(followed);
    void followed.finally(() => following.delete(followed));
  }

  return {
    async relay(turn, target) {
      const stored = await db.transaction((sql) => insertRelay(sql, turn, FOLLOWED_LEASE), {
        tenantId: turn.tenantId,
      });
      if (stored) followInBackground(stored, target);
    },
    async relayCopy(copy, target) {
      const stored = await db.transaction((sql) => insertRelayOfClaim(sql, copy, FOLLOWED_LEASE), {
        tenantId: copy.tenantId,
      });
      if (!stored) return false;
      // Usually the first copy's process died before recording the relay; or it is about to, and will find this.
      log.warn("webhook relay recorded from a copy of its message", { runId: stored.runId });
      followInBackground(stored, target);
      return true;
    },
    sweep: () => sweeper.runOnce(),
    recordOrphans: () => orphans.runOnce(),
    async idle() {
      while (following.size > 0) await Promise.allSettled([...following]);
    },
    async close() {
      closing.abort();
      await Promise.all([sweeper.stop(), orphans.stop()]);
      await Promise.allSettled([...following]);
    },
  };
}

/**
 * How far a follower has read its run's log. Reply ids count a step's messages from the run's start, as the
 * conversation's history does, so every relayer of a turn derives the same ids (and an ask asking again in a
 * later turn gets a new one): the first read starts at the run's first event, later ones where it stopped.
 */
interface LogCursor {
  /** The last seq read; the next read asks for what comes after it. */
  seq: number;
  readonly counters: Map<string, number>;
}

const newCursor = (): LogCursor => ({ seq: 0, counters: new Map() });

/** What a customer's receiver is told of a turn's frames: replies and handoff notices. */
function outboundMessages(conversationId: string, frames: readonly ServerFrame[]): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  for (const frame of frames) {
    if (frame.type === "reply") {
      const { id, text, author, at, choices } = frame;
      messages.push({ type: "reply", id, conversationId, text, author, at, ...(choices ? { choices } : {}) });
    } else if (frame.type === "handoff") {
      const id = `${frame.runId}|handoff|${frame.at}`;
      messages.push({ type: "handoff", id, conversationId, text: frame.reason, at: frame.at });
    }
  }
  return messages;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
