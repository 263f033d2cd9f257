import { lookup } from "node:dns/promises";
import { isIP, type Socket } from "node:net";
import type { buildConnector } from "undici";
import type { AllowList } from "./allow-list";
import { HttpError } from "./http-errors";
import { bareHostname, checkAddress } from "./safe-target";

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Turns a host name into addresses. Injectable so tests never touch real DNS. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Opens a socket to one already checked address (undici's connector shape). Injectable to record attempts. */
export type SocketConnector = buildConnector.connector;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address in the order it gives them. */
export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

// Errors after which the next checked address of the same host is worth a try (one address family is
// unreachable, one replica is down). A TLS or protocol failure is the server's answer and is not retried.
const TRY_NEXT_ADDRESS = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "EAFNOSUPPORT",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

async function resolveHost(resolver: HostResolver, host: string): Promise<readonly ResolvedAddress[]> {
  if (isIP(host) !== 0) return [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  let answers: readonly ResolvedAddress[];
  try {
    answers = await resolver(host);
  } catch (error) {
    const code = errorCode(error);
    throw new HttpError("FD245", `Could not resolve ${host}${code ? ` (${code})` : ""}.`);
  }
  if (answers.length === 0) throw new HttpError("FD245", `Could not resolve ${host} (no addresses).`);
  return answers;
}

function connectOnce(connector: SocketConnector, options: buildConnector.Options): Promise<Socket> {
  return new Promise((resolve, reject) => {
    connector(options, (error, socket) => (error ? reject(error) : resolve(socket as Socket)));
  });
}

/**
 * The connect hook of the client's dedicated undici Agent: the only place a socket is opened. It resolves
 * the host once, checks every address, and hands the inner connector an IP address instead of the name, so
 * nothing resolves the name a second time and a DNS answer that changes between check and connect (DNS
 * rebinding) cannot redirect the socket. Addresses that fail the check are dropped; when none is left the
 * connection fails with FD240 naming the first refused one.
 */
export function createGuardedConnector(options: {
  readonly allowList: AllowList;
  readonly resolver: HostResolver;
  readonly connector: SocketConnector;
}): SocketConnector {
  const { allowList, resolver, connector } = options;
  return (connectOptions, callback) => {
    const host = bareHostname(connectOptions.hostname);
    const attempt = async (): Promise<Socket> => {
      const answers = await resolveHost(resolver, host);
      const checked: ResolvedAddress[] = [];
      let firstRefusal: HttpError | undefined;
      for (const answer of answers) {
        const refusal = checkAddress(host, answer.address, allowList);
        if (refusal) firstRefusal ??= refusal;
        else checked.push(answer);
      }
      if (checked.length === 0) throw firstRefusal ?? new HttpError("FD245", `Could not resolve ${host}.`);
      // TLS verifies the certificate (and sends SNI) for the name, never for the address the socket uses.
      const servername = connectOptions.servername || (isIP(host) === 0 ? host : undefined);
      let lastError: unknown;
      for (const { address } of checked) {
        try {
          return await connectOnce(connector, {
            ...connectOptions,
            hostname: address,
            ...(servername ? { servername } : {}),
          });
        } catch (error) {
          lastError = error;
          if (!TRY_NEXT_ADDRESS.has(errorCode(error))) break;
        }
      }
      throw lastError;
    };
    attempt().then(
      (socket) => callback(null, socket),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}
