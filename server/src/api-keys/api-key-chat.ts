import type { Request } from "express";
import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import { getRequestId } from "../kit/request-id";
import { secretMatches } from "../auth/opaque-token";
import { parseChannelKey } from "../channels/channel-keys";
import { getChannel } from "../channels/channel-store";
import type { ChatPrincipal } from "../chat/chat-principal";
import { checkApiKey } from "./api-key-auth";
import { presentsApiKey } from "./api-key-strategy";

/**
 * Server-to-server chat (issue 19 item 3): `POST /chat/messages` and its events from a backend, with
 * `Authorization: Bearer fdk.…` (scope `chat`) and the web channel's `X-Channel-Key`. A browser call binds the
 * public channel key to an allowed Origin; a server has no Origin, so the secret API key of the same workspace
 * is what vouches for it instead. Undefined when the request carries no API key (the browser path applies).
 */
export async function customerFromApiKey(db: Database, req: Request): Promise<ChatPrincipal | undefined> {
  if (!presentsApiKey(req)) return undefined;
  const token = (req.get("authorization") ?? "").slice("Bearer ".length);
  const use = {
    method: req.method,
    route: (req.route as { path?: string } | undefined)?.path ?? req.path,
    ...(req.res ? { requestId: getRequestId(req.res) } : {}),
  };
  const checked = await checkApiKey(db, token, use);
  if (checked.kind === "invalid") throw new ApiError("FD310", "This API key is not valid.");
  if (checked.kind !== "ok") {
    throw new ApiError(
      "FD319",
      checked.kind === "revoked"
        ? `This API key was revoked at ${checked.at}.`
        : `This API key expired at ${checked.at}.`,
    );
  }
  const { auth } = checked;
  const where = `${req.method} ${use.route}`;
  if (!auth.apiKey?.scopes.includes("chat")) {
    throw new ApiError(
      "FD317",
      `${where} needs the API key scope chat; this key has ${auth.apiKey?.scopes.join(", ") || "none"}.`,
    );
  }
  const parsed = parseChannelKey(req.get("x-channel-key") ?? "");
  // Another workspace's channel answers like a wrong key: nothing about it is revealed.
  const channel =
    parsed && parsed.tenantId === auth.tenantId
      ? await db.transaction((sql) => getChannel(sql, parsed.channelId), { tenantId: auth.tenantId })
      : undefined;
  if (
    !parsed ||
    !channel ||
    channel.kind !== "web" ||
    !channel.keyHash ||
    !secretMatches(channel.keyHash, parsed.secret)
  ) {
    throw new ApiError("FD370", `${where} with an API key needs the web channel's key in X-Channel-Key.`);
  }
  return { kind: "customer", tenantId: auth.tenantId, channel };
}
