import { domainToASCII } from "node:url";
import ipaddr from "ipaddr.js";
import { embeddedIpv4, parseAddress } from "./address-class";
import { HttpError } from "./http-errors";

/**
 * What a tenant admin allowed beyond the public internet: address ranges (`10.20.0.0/16`, `fd12::/48`, a
 * single `192.168.1.5`) and host names (`crm.internal.example`, or `*.internal.example` for every name below
 * it, not the name itself). An allowed host name lets through whatever its DNS answers, which is the point:
 * the admin vouches for that name. Metadata endpoints and the unspecified address stay refused regardless
 * (see `safe-target.ts`).
 */
export interface AllowList {
  readonly entries: readonly string[];
  allowsAddress(address: string): boolean;
  allowsHost(hostname: string): boolean;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lower-case ASCII (punycode) without a trailing dot, or undefined when it is not a plausible host name. */
export function normaliseHostname(name: string): string | undefined {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, "");
  const ascii = domainToASCII(trimmed);
  if (ascii === "" || ascii.length > 253) return undefined;
  return ascii.split(".").every((label) => HOST_LABEL.test(label)) ? ascii : undefined;
}

function endsInNumber(host: string): boolean {
  return /^(\d+|0x[0-9a-f]*)$/i.test(host.split(".").pop() ?? "");
}

function parseRange(entry: string): Range | undefined {
  const [address, bits, extra] = entry.split("/");
  if (address === undefined || extra !== undefined) return undefined;
  const ip = parseAddress(address);
  if (!ip) return undefined;
  const max = ip.kind() === "ipv4" ? 32 : 128;
  if (bits === undefined) return [ip, max];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return [ip, Number(bits)];
}

function inRange(ip: ipaddr.IPv4 | ipaddr.IPv6, range: Range): boolean {
  return ip.kind() === range[0].kind() && ip.match(range);
}

/** Parses the entries; one the client cannot understand is an error (FD248), not silently ignored. */
export function parseAllowList(entries: readonly string[] = []): AllowList {
  const ranges: Range[] = [];
  const exactHosts = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const range = parseRange(entry);
    if (range) {
      ranges.push(range);
      continue;
    }
    const wildcard = entry.startsWith("*.");
    const host = normaliseHostname(wildcard ? entry.slice(2) : entry);
    // A name ending in a number ("127.1", "0x7f.1") is an IPv4 address to a URL parser: refuse the ambiguity
    // instead of guessing which the admin meant.
    if (!host || endsInNumber(host)) {
      throw new HttpError(
        "FD248",
        `HTTP allow-list entry ${JSON.stringify(raw.slice(0, 80))} is neither an IP address, a CIDR range ` +
          `nor a host name.`,
      );
    }
    if (wildcard) suffixes.push(`.${host}`);
    else exactHosts.add(host);
  }
  return {
    entries: [...entries],
    allowsAddress(address) {
      const ip = parseAddress(address);
      if (!ip) return false;
      const inner = embeddedIpv4(ip)?.ipv4;
      return ranges.some((range) => inRange(ip, range) || (inner !== undefined && inRange(inner, range)));
    },
    allowsHost(hostname) {
      const host = normaliseHostname(hostname);
      if (!host) return false;
      return exactHosts.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
  };
}
