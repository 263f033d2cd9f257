import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";
import express from "express";

type TrustProxy = boolean | number | string;
type TrustFn = (address: string, hop: number) => boolean;

/**
 * Express's compiled `trust proxy` (proxy-addr), so a socket's client address is the one `req.ip` would give for
 * the same request: `X-Forwarded-For` counts only through proxies the setting trusts. proxy-addr is not a
 * dependency of ours; Express compiles the setting when it is set, and keeps the function as `trust proxy fn`.
 */
function compileTrust(trustProxy: TrustProxy): TrustFn {
  const settings = express();
  settings.set("trust proxy", trustProxy);
  return settings.get("trust proxy fn") as TrustFn;
}

/**
 * The client address of a raw upgrade request: the socket's peer, then `X-Forwarded-For` from right to left
 * while the hop before it is trusted (proxy-addr's walk). Undefined when the socket has no address (closed).
 */
export function clientAddressResolver(trustProxy: TrustProxy): (req: IncomingMessage) => string | undefined {
  const trust = compileTrust(trustProxy);
  return (req) => {
    const peer = req.socket.remoteAddress;
    if (!peer) return undefined;
    const header = req.headers["x-forwarded-for"];
    const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean)
      .reverse();
    const chain = [peer, ...forwarded];
    for (let hop = 0; hop < chain.length - 1; hop += 1) {
      if (!trust(chain[hop]!, hop)) return chain[hop];
    }
    return chain[chain.length - 1];
  };
}

/**
 * What limits count by: an IPv4 address as is (IPv4-mapped IPv6 too), an IPv6 address by its /64 — one home or
 * host gets a whole /64 and can pick any address in it, so counting single IPv6 addresses would cap nobody.
 */
export function addressKey(address: string): string {
  const plain = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  const groups = (part: string) =>
    part ? part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group])) : [];
  const [head = "", tail] = plain.split("::", 2);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${all
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
