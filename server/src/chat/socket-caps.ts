import type { Duplex } from "node:stream";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "../kit/api-error";
import type { ChatOptions } from "./chat-options";

/** How long a client refused for open sockets is told to wait: a chat ends within minutes, a retry sooner is noise. */
const FULL_RETRY_AFTER_SECONDS = 30;

export type SocketCapOptions = Pick<
  ChatOptions,
  "maxOpenSocketsPerAddress" | "maxOpenSocketsPerChannel" | "maxNewSocketsPerAddress" | "newSocketWindowMs"
>;

export interface SocketCaps {
  /**
   * A new socket from `address` (an addressKey): counts it against the address's rate and holds one of its open
   * slots until the raw socket closes, whatever ends it (refusal, failed handshake, close, terminate). Throws
   * 429 FD387 (too many new sockets) or FD386 (too many open) and holds nothing then.
   */
  admitAddress(address: string, socket: Duplex): Promise<void>;
  /** Holds one of the channel's open slots until the socket closes; throws 429 FD386 when they are all taken. */
  admitChannel(channelId: string, socket: Duplex): void;
  /** Open sockets counted for an address (tests and logs). */
  openFromAddress(address: string): number;
}

/**
 * Caps on chat sockets, in memory per API process (like the plan's message limiter): with several processes
 * behind a load balancer each enforces its share. The rate uses rate-limiter-flexible's fixed windows; open
 * sockets are plain counters, taken synchronously so concurrent upgrades cannot all pass one check.
 */
export function createSocketCaps(options: SocketCapOptions): SocketCaps {
  const byAddress = new Map<string, number>();
  const byChannel = new Map<string, number>();
  const newSockets = new RateLimiterMemory({
    points: options.maxNewSocketsPerAddress,
    duration: Math.max(1, Math.ceil(options.newSocketWindowMs / 1000)),
  });

  /** Takes a slot in `counts` for `key`, given back once when the socket closes. */
  function hold(counts: Map<string, number>, key: string, socket: Duplex): void {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    };
    if (socket.destroyed) release();
    else socket.once("close", release);
  }

  const full = (message: string) =>
    new ApiError("FD386", message, { headers: { "Retry-After": String(FULL_RETRY_AFTER_SECONDS) } });

  return {
    async admitAddress(address, socket) {
      try {
        await newSockets.consume(address);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new ApiError(
          "FD387",
          `Too many new chat connections from this address (at most ${options.maxNewSocketsPerAddress} per ${options.newSocketWindowMs / 1000} s).`,
          { headers: { "Retry-After": String(seconds) } },
        );
      }
      if ((byAddress.get(address) ?? 0) >= options.maxOpenSocketsPerAddress) {
        throw full(`Too many open chat connections from this address (${options.maxOpenSocketsPerAddress}).`);
      }
      hold(byAddress, address, socket);
    },
    admitChannel(channelId, socket) {
      if ((byChannel.get(channelId) ?? 0) >= options.maxOpenSocketsPerChannel) {
        throw full(`Too many open chat connections on this channel (${options.maxOpenSocketsPerChannel}).`);
      }
      hold(byChannel, channelId, socket);
    },
    openFromAddress: (address) => byAddress.get(address) ?? 0,
  };
}
