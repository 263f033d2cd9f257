import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** What kind of network an address belongs to; everything but `public` is refused unless allow-listed. */
export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "carrier-grade-nat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "invalid";

/** How an IPv4 address was carried inside an IPv6 one. */
export type Embedding = "ipv4-mapped" | "ipv4-translated" | "ipv4-compatible" | "nat64" | "6to4";

export interface AddressVerdict {
  readonly addressClass: AddressClass;
  /** The range that matched, e.g. `127.0.0.0/8`; empty for `public` and `invalid`. */
  readonly range: string;
  /** Set when the class comes from an IPv4 address embedded in an IPv6 one. */
  readonly embedding?: Embedding;
  /** The embedded IPv4 address, in dotted form. */
  readonly embeddedIpv4?: string;
}

type Ip = ipaddr.IPv4 | ipaddr.IPv6;
type RangeRow = readonly [cidr: string, addressClass: AddressClass];

// Cloud metadata and credential endpoints. Listed before the wider ranges they sit in, because a tenant may
// allow-list its private network but must never reach the credentials of the machine Flowdeck runs on:
// AWS/Azure/GCP/OpenStack IMDS, AWS ECS task and EKS pod credentials, Alibaba, Oracle, Azure WireServer.
const METADATA_V4: readonly RangeRow[] = [
  ["169.254.169.254/32", "metadata"],
  ["169.254.170.2/32", "metadata"],
  ["169.254.170.23/32", "metadata"],
  ["100.100.100.200/32", "metadata"],
  ["192.0.0.192/32", "metadata"],
  ["168.63.129.16/32", "metadata"],
];

// IANA special-purpose registry (RFC 6890 and successors): every range that is not globally reachable.
const SPECIAL_V4: readonly RangeRow[] = [
  ...METADATA_V4,
  ["0.0.0.0/32", "unspecified"],
  ["255.255.255.255/32", "broadcast"],
  ["0.0.0.0/8", "reserved"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "carrier-grade-nat"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "documentation"],
  ["192.31.196.0/24", "reserved"],
  ["192.52.193.0/24", "reserved"],
  ["192.88.99.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["192.175.48.0/24", "reserved"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

// Checked after the embedded-IPv4 forms are unwrapped. Global unicast is 2000::/3 only; the rest of the IPv6
// space is refused as reserved (see classifyIpv6), so this table lists the special blocks worth naming.
const SPECIAL_V6: readonly RangeRow[] = [
  ["fd00:ec2::254/128", "metadata"],
  ["fd00:ec2::23/128", "metadata"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "private"],
  ["fc00::/7", "private"],
  ["ff00::/8", "multicast"],
  ["64:ff9b:1::/48", "private"],
  ["100::/64", "reserved"],
  ["2001:db8::/32", "documentation"],
  ["3fff::/20", "documentation"],
  ["2001:2::/48", "benchmarking"],
  // IETF protocol assignments: Teredo (2001::/32, whose client address is obfuscated), ORCHID, AMT …
  ["2001::/23", "reserved"],
];

const parsedTable = (rows: readonly RangeRow[]) =>
  rows.map(([cidr, addressClass]) => ({ cidr, addressClass, range: ipaddr.parseCIDR(cidr) }));

const V4_TABLE = parsedTable(SPECIAL_V4);
const V6_TABLE = parsedTable(SPECIAL_V6);
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const MAPPED = ipaddr.parseCIDR("::ffff:0:0/96");
const TRANSLATED = ipaddr.parseCIDR("::ffff:0:0:0/96");
const NAT64 = ipaddr.parseCIDR("64:ff9b::/96");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const COMPATIBLE = ipaddr.parseCIDR("::/96");

/**
 * `::8.8.8.8` → `::808:808`. ipaddr.js reads any IPv6 address with a dotted tail as IPv4-mapped (`::ffff:…`),
 * which would turn an IPv4-compatible address into a mapped one; writing the tail in hex avoids that.
 */
function hexTail(address: string): string {
  const match = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!match) return address;
  const [a, b, c, d] = match.slice(2).map(Number) as [number, number, number, number];
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * Parses an address only in its canonical textual forms (what `net.isIP` accepts: dotted quad, RFC 4291
 * IPv6). ipaddr.js alone also accepts `0x7f.1` or `017700000001`; those never reach here as addresses,
 * because URL parsing normalises them, and a resolver that returned one would be refused as `invalid`.
 */
export function parseAddress(address: string): Ip | undefined {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (isIP(bare) === 0) return undefined;
  try {
    const ip = ipaddr.parse(hexTail(bare));
    // A zone id (fe80::1%eth0) only makes sense for link-local addresses, which are refused anyway.
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).zoneId) (ip as ipaddr.IPv6).zoneId = undefined;
    return ip;
  } catch {
    return undefined;
  }
}

/** The IPv4 address an IPv6 address carries, when it is one of the forms that reach an IPv4 host. */
export function embeddedIpv4(
  ip: Ip,
): { readonly embedding: Embedding; readonly ipv4: ipaddr.IPv4 } | undefined {
  if (ip.kind() !== "ipv6") return undefined;
  const v6 = ip as ipaddr.IPv6;
  const low32 = () =>
    new ipaddr.IPv4([v6.parts[6]! >> 8, v6.parts[6]! & 255, v6.parts[7]! >> 8, v6.parts[7]! & 255]);
  if (v6.match(MAPPED)) return { embedding: "ipv4-mapped", ipv4: low32() };
  if (v6.match(TRANSLATED)) return { embedding: "ipv4-translated", ipv4: low32() };
  if (v6.match(NAT64)) return { embedding: "nat64", ipv4: low32() };
  if (v6.match(SIX_TO_FOUR)) {
    const [, high, low] = v6.parts;
    return { embedding: "6to4", ipv4: new ipaddr.IPv4([high! >> 8, high! & 255, low! >> 8, low! & 255]) };
  }
  // ::/96 minus :: and ::1, which are IPv6's own unspecified and loopback addresses.
  if (v6.match(COMPATIBLE) && (v6.parts[6] !== 0 || v6.parts[7]! > 1)) {
    return { embedding: "ipv4-compatible", ipv4: low32() };
  }
  return undefined;
}

function classifyIpv4(ip: ipaddr.IPv4): AddressVerdict {
  for (const row of V4_TABLE) {
    if (ip.match(row.range as [ipaddr.IPv4, number]))
      return { addressClass: row.addressClass, range: row.cidr };
  }
  return { addressClass: "public", range: "" };
}

function classifyIpv6(ip: ipaddr.IPv6): AddressVerdict {
  const embedded = embeddedIpv4(ip);
  if (embedded) {
    const inner = classifyIpv4(embedded.ipv4);
    const verdict = { ...inner, embedding: embedded.embedding, embeddedIpv4: embedded.ipv4.toString() };
    // IPv4-compatible addresses are deprecated (RFC 4291) and never a legitimate API endpoint.
    if (embedded.embedding === "ipv4-compatible" && inner.addressClass === "public") {
      return { ...verdict, addressClass: "reserved", range: "::/96" };
    }
    return verdict;
  }
  for (const row of V6_TABLE) {
    if (ip.match(row.range as [ipaddr.IPv6, number]))
      return { addressClass: row.addressClass, range: row.cidr };
  }
  if (!ip.match(GLOBAL_UNICAST_V6)) return { addressClass: "reserved", range: "outside 2000::/3" };
  return { addressClass: "public", range: "" };
}

/** Classifies one IP address given as text; anything that is not a canonical IP address is `invalid`. */
export function classifyAddress(address: string): AddressVerdict {
  const ip = parseAddress(address);
  if (!ip) return { addressClass: "invalid", range: "" };
  return ip.kind() === "ipv4" ? classifyIpv4(ip as ipaddr.IPv4) : classifyIpv6(ip as ipaddr.IPv6);
}

const CLASS_WORDS: Record<AddressClass, string> = {
  public: "a public address",
  loopback: "a loopback address (this machine)",
  private: "a private network address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata endpoint",
  unspecified: "the unspecified address",
  "carrier-grade-nat": "a carrier-grade NAT address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  documentation: "a documentation-only address",
  benchmarking: "a benchmarking-only address",
  invalid: "not a valid IP address",
};

const EMBEDDING_WORDS: Record<Embedding, string> = {
  "ipv4-mapped": "an IPv4-mapped IPv6 address",
  "ipv4-translated": "an IPv4-translated IPv6 address",
  "ipv4-compatible": "an IPv4-compatible IPv6 address",
  nat64: "a NAT64 IPv6 address",
  "6to4": "a 6to4 IPv6 address",
};

/** "a loopback address (this machine), 127.0.0.0/8, written as an IPv4-mapped IPv6 address for 127.0.0.1". */
export function describeVerdict(verdict: AddressVerdict): string {
  const range = verdict.range ? ` in ${verdict.range}` : "";
  const via =
    verdict.embedding && verdict.embeddedIpv4
      ? `, written as ${EMBEDDING_WORDS[verdict.embedding]} for ${verdict.embeddedIpv4}`
      : "";
  return `${CLASS_WORDS[verdict.addressClass]}${range}${via}`;
}
