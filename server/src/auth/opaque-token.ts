import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Opaque credentials (refresh tokens, API keys, invitations): `<kind>.<tenant id>.<row id>.<secret>`. The
 * tenant id lets the server scope the lookup's transaction (RLS) without a global table; only
 * sha256(secret) is stored — the secret is 256 random bits, so a slow hash would add nothing.
 */
export type OpaqueTokenKind = "fdr" | "fdk" | "fdi";

export interface ParsedOpaqueToken {
  readonly tenantId: string;
  readonly id: string;
  readonly secret: string;
}

const SECRET_BYTES = 32;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuidText(value: string): boolean {
  return UUID.test(value);
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Constant-time comparison of a stored hex hash with the hash of a presented secret. */
export function secretMatches(storedHash: string, secret: string): boolean {
  const stored = Buffer.from(storedHash, "hex");
  const given = Buffer.from(hashSecret(secret), "hex");
  return stored.length === given.length && timingSafeEqual(stored, given);
}

export function mintOpaqueToken(
  kind: OpaqueTokenKind,
  tenantId: string,
): ParsedOpaqueToken & { readonly token: string; readonly hash: string } {
  const id = randomUUID();
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { tenantId, id, secret, token: `${kind}.${tenantId}.${id}.${secret}`, hash: hashSecret(secret) };
}

export function parseOpaqueToken(kind: OpaqueTokenKind, token: string): ParsedOpaqueToken | undefined {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== kind) return undefined;
  const [, tenantId, id, secret] = parts as [string, string, string, string];
  if (!isUuidText(tenantId) || !isUuidText(id) || !SECRET.test(secret)) return undefined;
  return { tenantId, id, secret };
}
