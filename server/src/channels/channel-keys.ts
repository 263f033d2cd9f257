import { randomBytes } from "node:crypto";
import { hashSecret, isUuidText } from "../auth/opaque-token";

/**
 * A web channel's publishable key: `fdp.<tenant id>.<channel id>.<secret>`. It sits in public pages, so it is
 * not a secret by itself: it is only accepted together with an allowed Origin. The tenant id scopes the lookup's
 * transaction (RLS), the channel id names the row, and only sha256(secret) is stored, so rotating it is the
 * way to revoke a leaked key.
 */
export interface ParsedChannelKey {
  readonly tenantId: string;
  readonly channelId: string;
  readonly secret: string;
}

const SECRET = /^[A-Za-z0-9_-]{32}$/;

export function mintChannelKey(tenantId: string, channelId: string): { key: string; hash: string } {
  const secret = randomBytes(24).toString("base64url");
  return { key: `fdp.${tenantId}.${channelId}.${secret}`, hash: hashSecret(secret) };
}

export function parseChannelKey(key: string): ParsedChannelKey | undefined {
  const parts = key.split(".");
  if (parts.length !== 4 || parts[0] !== "fdp") return undefined;
  const [, tenantId, channelId, secret] = parts as [string, string, string, string];
  if (!isUuidText(tenantId) || !isUuidText(channelId) || !SECRET.test(secret)) return undefined;
  return { tenantId, channelId, secret };
}

/** A webhook channel's signing secret, `whsec_…` like Stripe's, so it is recognisable in a secret scanner. */
export function mintWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
