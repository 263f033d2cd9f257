import { isIP } from "node:net";
import type { HttpRequest } from "@flowdeck/node-library/runtime";
import { buildConnector } from "undici";
import type { HostResolver, SocketConnector } from "../../src/http";

/** Per host: one answer for every lookup, or a list of answers used one lookup after another (rebinding). */
export type FakeDns = Readonly<
  Record<string, readonly string[] | { readonly sequence: readonly (readonly string[])[] }>
>;

export interface RecordingNetwork {
  readonly resolver: HostResolver;
  readonly connector: SocketConnector;
  /** Host names the resolver was asked for, in order. */
  readonly lookups: string[];
  /** Addresses the connector was asked to open a socket to, in order. */
  readonly connects: string[];
  /** The full options of each of those attempts (TLS server name, port …). */
  readonly connectOptions: Parameters<SocketConnector>[0][];
}

/**
 * A fake DNS plus a connector that records every attempt and opens a real socket only to 127.0.0.1: any
 * other address fails at once with ECONNREFUSED without touching the network. The tests assert on `connects`
 * that a refused target was never even attempted.
 */
export function recordingNetwork(dns: FakeDns = {}): RecordingNetwork {
  const lookups: string[] = [];
  const connects: string[] = [];
  const connectOptions: Parameters<SocketConnector>[0][] = [];
  const calls = new Map<string, number>();
  const real = buildConnector({ timeout: 2_000 });
  const resolver: HostResolver = async (host) => {
    lookups.push(host);
    const entry = dns[host];
    if (!entry) throw Object.assign(new Error(`fake dns: ${host} not found`), { code: "ENOTFOUND" });
    const call = calls.get(host) ?? 0;
    calls.set(host, call + 1);
    const answer =
      "sequence" in entry ? (entry.sequence[Math.min(call, entry.sequence.length - 1)] ?? []) : entry;
    return answer.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  };
  const connector: SocketConnector = (options, callback) => {
    connects.push(options.hostname);
    connectOptions.push(options);
    if (options.hostname !== "127.0.0.1") {
      callback(
        Object.assign(new Error("test network: only 127.0.0.1 is reachable"), { code: "ECONNREFUSED" }),
        null,
      );
      return;
    }
    real(options, callback);
  };
  return { resolver, connector, lookups, connects, connectOptions };
}

/** A GET with generous limits; tests override what they exercise. */
export function getRequest(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "GET",
    url,
    timeoutMs: 5_000,
    maxResponseBytes: 1_000_000,
    followRedirects: true,
    maxRedirects: 5,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Runs `promise` expecting a rejection, and returns what it rejected with. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; message: string; addressClass?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; addressClass?: string };
  }
  throw new Error("expected the request to fail, but it succeeded");
}
