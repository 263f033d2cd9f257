import { isIP } from "node:net";
import { classifyAddress, describeVerdict, type AddressClass } from "./address-class";
import type { AllowList } from "./allow-list";
import { normaliseHostname } from "./allow-list";
import { describeUrl, HttpError } from "./http-errors";

/** Classes no allow-list can open: the host's own credentials, and "any address", which means this machine. */
const NEVER_ALLOWED: ReadonlySet<AddressClass> = new Set(["metadata", "unspecified", "invalid"]);

/** Names of metadata services, refused before any DNS query (they resolve to link-local addresses anyway). */
const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** `[::1]` → `::1`; URL and undici keep the brackets in some places and not in others. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/**
 * Parses a target URL with the WHATWG parser, which also normalises every IPv4 spelling (`2130706433`,
 * `0177.0.0.1`, `0x7f.1`, `127.1`) to dotted form, so the address check sees what the socket would get.
 */
export function parseTargetUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(
      "FD244",
      "The URL is not a valid absolute URL (it must start with http:// or https://).",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HttpError(
      "FD244",
      `The URL uses the ${url.protocol} scheme; only http: and https: are allowed.`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new HttpError(
      "FD244",
      `The URL for ${url.host} contains a user name or password; send credentials in a header such as ` +
        `Authorization instead.`,
    );
  }
  if (url.hostname === "" || url.port === "0") {
    throw new HttpError("FD244", `The URL ${describeUrl(url)} has no usable host or port.`);
  }
  return url;
}

function refusal(hostname: string, address: string): HttpError | undefined {
  const verdict = classifyAddress(address);
  if (verdict.addressClass === "public") return undefined;
  const where = hostname === address ? `${address}: it is` : `${hostname}: it resolves to ${address},`;
  const tail = NEVER_ALLOWED.has(verdict.addressClass)
    ? " Workflows can never reach it."
    : " An admin can allow-list this host or range in the workspace's HTTP settings.";
  return new HttpError(
    "FD240",
    `Refused to connect to ${where} ${describeVerdict(verdict)}.${tail}`,
    verdict.addressClass,
  );
}

/**
 * Decides one resolved address for one host: undefined when the socket may connect to it, else the FD240
 * error saying which class of address was refused. Public addresses pass; others only when the address or
 * the host name is allow-listed, and metadata / unspecified never.
 */
export function checkAddress(hostname: string, address: string, allowList: AllowList): HttpError | undefined {
  const error = refusal(hostname, address);
  if (!error || NEVER_ALLOWED.has(error.addressClass as AddressClass)) return error;
  const host = bareHostname(hostname);
  const allowed = allowList.allowsAddress(address) || (isIP(host) === 0 && allowList.allowsHost(host));
  return allowed ? undefined : error;
}

/**
 * The checks that need no DNS: an IP literal is decided here, and metadata host names are refused by name.
 * The connect-time check in `guarded-connector.ts` remains the authority; this one gives an early, clear
 * error and keeps an obviously refused target from reaching the connection pool at all.
 */
export function checkHostBeforeConnect(url: URL, allowList: AllowList): HttpError | undefined {
  const host = bareHostname(url.hostname);
  if (isIP(host) !== 0) return checkAddress(host, host, allowList);
  const name = normaliseHostname(host);
  if (name !== undefined && METADATA_HOSTNAMES.has(name)) {
    return new HttpError(
      "FD240",
      `Refused to connect to ${name}: it is a cloud metadata endpoint. Workflows can never reach it.`,
      "metadata",
    );
  }
  return undefined;
}
