import type { Database } from "@flowdeck/runtime";
import { decodeJwt } from "jose";
import { ApiError, type ApiErrorCode } from "../kit/api-error";
import type { ServerConfig } from "../config/server-config";
import { authenticateAccessToken } from "../auth/access-token-strategy";
import { createMembershipCheck } from "../auth/membership-check";
import { secretMatches } from "../auth/opaque-token";
import { roleAtLeast, type Role } from "../kit/roles";
import { parseChannelKey } from "../channels/channel-keys";
import { getChannel } from "../channels/channel-store";
import type { ChannelRecord } from "../channels/channel-types";
import type { RunTarget } from "../runs/run-host";
import { TEST_RUN_CHANNEL } from "../runs/test-run-channel";

/** Who is chatting: a customer through a web channel, or a staff member test-running a workflow. */
export type ChatPrincipal =
  | { readonly kind: "customer"; readonly tenantId: string; readonly channel: ChannelRecord }
  | {
      readonly kind: "staff";
      readonly tenantId: string;
      readonly userId: string;
      readonly role: Role;
      /** When the access token expires (ms since epoch); the session ends then. */
      readonly expiresAtMs: number;
      readonly target: RunTarget;
    };

/** The runs a principal starts: the channel's workflow at its pinned version, or the staff member's choice. */
export function targetOf(principal: ChatPrincipal): RunTarget {
  if (principal.kind === "staff") return principal.target;
  const { workflowId, pinnedVersion } = principal.channel;
  return pinnedVersion === null
    ? { kind: "published", workflowId }
    : { kind: "published", workflowId, version: pinnedVersion };
}

/** The `channel` stored on runs: `web:<channel id>` for customers, `test` for staff. */
export function runChannelOf(principal: ChatPrincipal): string {
  return principal.kind === "customer"
    ? `${principal.channel.kind}:${principal.channel.id}`
    : TEST_RUN_CHANNEL;
}

export class ChatAuthError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
  toApiError(): ApiError {
    return new ApiError(this.code, this.message);
  }
}

/**
 * A web channel from its publishable key, checked against the request's Origin. The key alone is public (it is
 * in the page), so a browser call needs both; a missing Origin is refused, since every browser sends one.
 */
export async function customerFromKey(
  db: Database,
  key: string,
  origin: string | undefined,
): Promise<ChatPrincipal> {
  const parsed = parseChannelKey(key);
  if (!parsed) throw new ChatAuthError("FD370", "The channel key is not valid.");
  const channel = await db.transaction((sql) => getChannel(sql, parsed.channelId), {
    tenantId: parsed.tenantId,
  });
  if (
    !channel ||
    channel.kind !== "web" ||
    !channel.keyHash ||
    !secretMatches(channel.keyHash, parsed.secret)
  ) {
    throw new ChatAuthError("FD370", "The channel key is not valid.");
  }
  if (!origin || !channel.allowedOrigins.includes(origin)) {
    throw new ChatAuthError("FD371", "This Origin may not use the channel.");
  }
  return { kind: "customer", tenantId: parsed.tenantId, channel };
}

/**
 * A staff member from an access token, for test runs (editor+): the draft, or a published version. A browser
 * Origin must be one the API allows (CORS list) or the server's own. The token's user must still be a member
 * and its session live, checked afresh (an upgrade is rare; no cache).
 */
export async function staffFromToken(
  { config, db }: { config: ServerConfig; db: Database },
  token: string,
  request: {
    origin: string | undefined;
    host: string | undefined;
    workflowId: string | null;
    draft: boolean;
    version: number | undefined;
  },
): Promise<ChatPrincipal> {
  const auth = await authenticateAccessToken(config, createMembershipCheck({ db, ttlMs: 0 }), token);
  if (!auth) throw new ChatAuthError("FD310", "The access token is not valid.");
  if (!roleAtLeast(auth.role, "editor")) throw new ChatAuthError("FD313", "Test runs need the editor role.");
  const { origin, host } = request;
  if (origin !== undefined && !config.corsOrigins.includes(origin) && !sameHost(origin, host)) {
    throw new ChatAuthError("FD371", "This Origin may not open staff sessions.");
  }
  if (!request.workflowId) throw new ChatAuthError("FD373", "Name the workflow to test: ?workflow=<id>.");
  const exp = decodeJwt(token).exp ?? 0;
  const target: RunTarget = request.draft
    ? { kind: "draft", workflowId: request.workflowId }
    : request.version === undefined
      ? { kind: "published", workflowId: request.workflowId }
      : { kind: "published", workflowId: request.workflowId, version: request.version };
  return {
    kind: "staff",
    tenantId: auth.tenantId,
    userId: auth.userId,
    role: auth.role,
    expiresAtMs: exp * 1000,
    target,
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
