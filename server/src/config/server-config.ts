import { randomBytes } from "node:crypto";
import type { Logger } from "../kit/logger";
import { loadSecretFile, secretsDirFor } from "./secret-files";
import { StartupError } from "./startup-error";

/** Everything createApp needs besides the database. Units are in the names (DESIGN.md §7). */
export interface ServerConfig {
  /** HS256 key for access tokens; at least 32 bytes. Never logged. */
  readonly jwtSecret: Uint8Array;
  /** `iss` written and required. Default `flowdeck`. */
  readonly jwtIssuer: string;
  /** `aud` written and required. Default `flowdeck-api`. */
  readonly jwtAudience: string;
  /** Access token lifetime. Default 900 (15 min). */
  readonly accessTokenTtlSeconds: number;
  /** Refresh token lifetime. Default 30 days. */
  readonly refreshTokenTtlSeconds: number;
  /** How long an invitation can be accepted. Default 7 days. */
  readonly invitationTtlSeconds: number;
  /** Origins allowed to call the API from a browser (exact match, e.g. `https://app.example.com`). */
  readonly corsOrigins: readonly string[];
  /** Largest JSON body accepted. Default 1 MiB. */
  readonly bodyLimitBytes: number;
  /** bcrypt cost factor. Default 12; tests lower it. */
  readonly bcryptCost: number;
  /** Failed logins per email + IP within `loginWindowMs` before 429. Default 5. */
  readonly loginMaxFailures: number;
  /** Default 15 min. */
  readonly loginWindowMs: number;
  /** Express `trust proxy` (for req.ip behind a load balancer). Default false. */
  readonly trustProxy: boolean | number | string;
  /**
   * How long a request may trust an earlier check that the token's user is still a member with its role and
   * its session is live (auth/membership-check.ts). Default 2000; 0 checks every request. Changes made through
   * this process apply at once; other processes' changes within this time.
   */
  readonly membershipCheckTtlMs: number;
  /**
   * The server's public base URL (`https://chat.example.com`, no path), written into the widget's embed snippet.
   * Unset: each request's own protocol and host, which Express takes from forwarding headers only through hops
   * that `trustProxy` trusts. Behind a proxy, set it (FLOWDECK_PUBLIC_URL) rather than relying on headers.
   */
  readonly publicUrl?: string;
}

export const MIN_JWT_SECRET_BYTES = 32;

/** The data folder (PGlite) when FLOWDECK_DATA_DIR is not set. Secrets are never kept in it (secret-files.ts). */
export const DEFAULT_DATA_DIR = "./.flowdeck";

export const DEFAULT_SERVER_CONFIG = {
  jwtIssuer: "flowdeck",
  jwtAudience: "flowdeck-api",
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 60 * 60,
  invitationTtlSeconds: 7 * 24 * 60 * 60,
  corsOrigins: [] as readonly string[],
  bodyLimitBytes: 1024 * 1024,
  bcryptCost: 12,
  loginMaxFailures: 5,
  loginWindowMs: 15 * 60 * 1000,
  trustProxy: false,
  membershipCheckTtlMs: 2000,
} as const;

/** A full config from a secret and overrides (tests, embedding). */
export function serverConfig(
  jwtSecret: Uint8Array | string,
  overrides: Partial<Omit<ServerConfig, "jwtSecret">> = {},
): ServerConfig {
  const secret = typeof jwtSecret === "string" ? new TextEncoder().encode(jwtSecret) : jwtSecret;
  if (secret.byteLength < MIN_JWT_SECRET_BYTES) {
    throw new StartupError("FD397", `FLOWDECK_JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes.`);
  }
  return { ...DEFAULT_SERVER_CONFIG, ...overrides, jwtSecret: secret };
}

export interface LoadServerConfigOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** The data folder: where older versions kept the development secret. Default FLOWDECK_DATA_DIR or `./.flowdeck`. */
  readonly dataDir?: string;
  readonly log: Logger;
}

/**
 * Reads FLOWDECK_JWT_SECRET, FLOWDECK_CORS_ORIGINS (comma-separated), FLOWDECK_TRUST_PROXY, FLOWDECK_PUBLIC_URL.
 * Without a secret
 * outside production, one is generated once into the secrets folder (secret-files.ts: outside the working and
 * data folders, 0600) so a restart does not log everybody out; in production a missing secret is an error
 * (FD397) rather than a silent weak default.
 */
export async function loadServerConfig(options: LoadServerConfigOptions): Promise<ServerConfig> {
  const env = options.env ?? process.env;
  const cors = (env.FLOWDECK_CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  const overrides = {
    corsOrigins: cors,
    ...(env.FLOWDECK_TRUST_PROXY ? { trustProxy: parseTrustProxy(env.FLOWDECK_TRUST_PROXY) } : {}),
    ...(env.FLOWDECK_PUBLIC_URL ? { publicUrl: parsePublicUrl(env.FLOWDECK_PUBLIC_URL) } : {}),
  };
  if (env.FLOWDECK_JWT_SECRET) return serverConfig(env.FLOWDECK_JWT_SECRET, overrides);
  if (env.NODE_ENV === "production") {
    throw new StartupError("FD397", "FLOWDECK_JWT_SECRET is required when NODE_ENV=production.");
  }
  const dataDir = options.dataDir ?? env.FLOWDECK_DATA_DIR ?? DEFAULT_DATA_DIR;
  const secret = await loadSecretFile({
    dir: secretsDirFor(env, dataDir),
    name: "jwt-secret",
    legacyDir: dataDir,
    generate: () => randomBytes(48).toString("base64url"),
    warn: (message, fields) => options.log.warn(message, fields),
    generatedMessage: "FLOWDECK_JWT_SECRET is not set; generated a development secret",
  });
  return serverConfig(secret, overrides);
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `scheme://host[:port]` with an optional path prefix; anything else refuses the start (FD398). */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StartupError("FD398", `FLOWDECK_PUBLIC_URL "${value}" is not a URL.`);
  }
  if (!(url.protocol === "https:" || url.protocol === "http:") || url.username || url.search || url.hash) {
    throw new StartupError(
      "FD398",
      "FLOWDECK_PUBLIC_URL must be http(s)://host[:port][/path], no credentials.",
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
