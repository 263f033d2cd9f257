import { ApiError, isApiError } from "../kit/api-error";
import { isUuidText } from "../auth/opaque-token";
import { secretAad } from "../channels/channel-routes";
import { channelChangedSince } from "../channels/channel-changes";
import { getChannelAndVersion, webhookChannelTenant } from "../channels/channel-store";
import type { ChannelRecord } from "../channels/channel-types";
import { MAX_MESSAGE_CHARS } from "../chat/chat-options";
import type { ChatPrincipal } from "../chat/chat-principal";
import type { ChatServices } from "../chat/chat-services";
import { checkConversation, newConversationId } from "../chat/customer-message";
import { sendOrFallback } from "../chat/customer-fallback";
import { customerClaim, MessageReceivedBefore } from "../channels/message-claims";
import { NO_TENANT } from "../store/nil-tenant";
import { workflowChangedSince } from "../workflows/workflow-changes";
import { verifySignature } from "./webhook-signature";
import {
  badChatText,
  badConversationId,
  badMessageId,
  badSignature,
  noSuchChannel,
  notAnObject,
  notJson,
  notPublished,
  replayed as replayedError,
  unknownConversation,
} from "./webhook-refusals";
import { outboundTarget } from "./outbound-target";
import { createTriggerLookup } from "./workflow-trigger";
import { EngineError } from "@flowdeck/runtime";
import type { NodeCatalog, TriggerType } from "@flowdeck/schemas";

const MESSAGE_ID = /^[\x21-\x7e]{1,200}$/;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{8,100}$/;
// How long a webhook call trusts the channel lookup of an earlier call (one transaction less per call under load).
// A change made through this process (a rotated secret, a pinned or published version, a deletion) ends that
// trust at once; other API processes see it within this time.
const CHANNEL_LOOKUP_TTL_MS = 1_000;

/** One signed call as it arrived, whichever HTTP layer read it (webhook-routes.ts or app/webhook-fast-path.ts). */
export interface WebhookCall {
  /** The `:id` of `/webhooks/:id`. */
  readonly channelId: string;
  /** Flowdeck-Signature. */
  readonly signature: string | undefined;
  /** Flowdeck-Message-Id. */
  readonly messageId: string | undefined;
  /** The body's bytes as sent (the signature covers these); undefined when it was not sent as JSON. */
  readonly raw: Buffer | undefined;
  /** The body parsed as JSON. */
  readonly body: unknown;
}

/** The status and JSON body to answer; failures are thrown as ApiError. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type AnswerWebhookCall = (call: WebhookCall) => Promise<WebhookAnswer>;

/**
 * A signed call on a webhook channel, checked in this order: the channel exists, the signature (HMAC-SHA256
 * over `<timestamp>.<raw body>`, Flowdeck-Signature) matches and the timestamp is within the tolerance, then the
 * message id (Flowdeck-Message-Id) is claimed once (a unique key: a replay inserts nothing and runs nothing). A
 * flow with `trigger: webhook` runs with the body as input and answers in the response; a chat flow takes
 * `{ text, conversationId? }` and its replies go, signed, to the channel's URL.
 */
export function createWebhookCalls(services: ChatServices, catalog: NodeCatalog): AnswerWebhookCall {
  const { db, options, secretBox, outbound: delivery } = services;
  const triggerOf = createTriggerLookup(catalog);

  // A channel's tenant never changes, so the SECURITY DEFINER lookup is done once per channel; a deleted channel
  // is still refused by the tenant-scoped read below.
  const tenants = new Map<string, string>();
  async function tenantOf(id: string): Promise<string | undefined> {
    const known = tenants.get(id);
    if (known) return known;
    const found = isUuidText(id)
      ? await db.transaction((sql) => webhookChannelTenant(sql, id), NO_TENANT)
      : undefined;
    if (found) {
      if (tenants.size >= 10_000) tenants.clear();
      tenants.set(id, found);
    }
    return found;
  }

  type LiveChannel = {
    channel: ChannelRecord;
    version: number | null;
    trigger: TriggerType | undefined;
    /** The signing secret, opened once per lookup rather than per call. */
    secret: string;
  };
  const lookups = new Map<string, { live: LiveChannel; atMs: number }>();

  /** The live webhook channel, the version it runs now and that version's trigger, in one tenant transaction. */
  async function channelOf(id: string): Promise<LiveChannel> {
    const now = Date.now();
    const kept = lookups.get(id);
    if (
      kept &&
      now - kept.atMs < CHANNEL_LOOKUP_TTL_MS &&
      !channelChangedSince(kept.live.channel.id, kept.atMs) &&
      !workflowChangedSince(kept.live.channel.workflowId, kept.atMs)
    )
      return kept.live;
    const tenantId = await tenantOf(id);
    const found = tenantId
      ? await db.transaction(
          async (sql) => {
            const live = await getChannelAndVersion(sql, id);
            if (!live) return undefined;
            const { channel, version } = live;
            const trigger = version === null ? undefined : await triggerOf(sql, channel.workflowId, version);
            const secret = channel.secretBox
              ? secretBox.open(channel.secretBox, secretAad(channel.tenantId, channel.id))
              : "";
            return { channel, version, trigger, secret };
          },
          { tenantId },
        )
      : undefined;
    if (!found || found.channel.kind !== "webhook" || !found.channel.secretBox) {
      lookups.delete(id);
      throw noSuchChannel();
    }
    if (lookups.size >= 10_000) lookups.clear();
    lookups.set(id, { live: found, atMs: now });
    return found;
  }

  return async (call) => {
    const { channel, version, trigger, secret } = await channelOf(call.channelId);
    const raw = call.raw;
    if (!raw) throw notJson();
    const check = verifySignature(secret, call.signature, raw, {
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: options.webhookToleranceSeconds,
    });
    if (!check.ok) throw badSignature(check, options.webhookToleranceSeconds);
    const messageId = call.messageId;
    if (!messageId || !MESSAGE_ID.test(messageId)) throw badMessageId(messageId);
    const payload = call.body;
    if (payload === null || typeof payload !== "object" || Array.isArray(payload))
      throw notAnObject(trigger === undefined ? undefined : trigger !== "webhook");
    if (!services.runs) throw new ApiError("FD377", "Runs are not available in this server.");
    const runs = services.runs;
    if (!trigger) throw notPublished();
    const principal: ChatPrincipal = { kind: "customer", tenantId: channel.tenantId, channel };
    const chat = trigger !== "webhook" ? chatPayload(payload as Record<string, unknown>) : undefined;
    if (chat?.conversationId) {
      try {
        await checkConversation(db, principal, chat.conversationId);
      } catch (error) {
        // The shared check speaks of conversations in general; the sender needs to hear it is its body field.
        if (isApiError(error) && error.code === "FD378") throw unknownConversation();
        throw error;
      }
    }

    // Claimed by the statement that stores the message, so a replay stores nothing and a start that fails
    // leaves the id free for the sender's retry: the run's own insert for a webhook flow (the run's claim key),
    // `message_claims` for a chat message (message-claims.ts).
    const replayed = () => replayedError(messageId);

    if (!chat) {
      let done;
      try {
        done = await runs.call(
          {
            tenantId: channel.tenantId,
            // The version channelOf found in this request: the source need not look it up again.
            target: { kind: "published", workflowId: channel.workflowId, version: version!, verified: true },
            input: payload as Record<string, unknown>,
            channel: `webhook:${channel.id}`,
            claim: { key: `webhook:${channel.id}:${messageId}`, duplicate: replayed },
            checkInput: true,
          },
          options.webhookReplyTimeoutMs,
        );
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        // The flow cannot run as published (a subflow that does not exist, nesting too deep): the sender
        // hears why, as for a failed run. Failing before its first commit (the usual case), the run stored
        // nothing, so a retry is not refused as a replay; one that fails later was stored and keeps its id.
        services.log.warn("webhook flow could not run", { channel: channel.id, code: error.code });
        const failure = { code: error.code, message: error.message, hint: error.hint };
        return { status: 502, body: { runId: null, status: "failed", output: null, error: failure } };
      }
      const status = done.status === "completed" ? 200 : done.status === "failed" ? 502 : 202;
      return {
        status,
        body: {
          runId: done.id,
          status: done.status,
          output: done.output ?? null,
          ...(done.error ? { error: done.error } : {}),
        },
      };
    }

    const conversationId = chat.conversationId ?? newConversationId();
    const target = outboundTarget(channel, secret);
    let outcome;
    try {
      outcome = await sendOrFallback(services, principal, conversationId, chat.text, {
        newConversation: !chat.conversationId,
        claim: customerClaim(principal, messageId)!,
      });
    } catch (error) {
      if (!(error instanceof MessageReceivedBefore)) throw error;
      // The sender retries a message it heard no 202 for. Should the process that stored the first copy have
      // died before recording its turn's relay, the turn is recorded now, so its replies still go out; a turn
      // relayed or being relayed is left alone.
      if (target) {
        const copy = { tenantId: channel.tenantId, channelId: channel.id, claimKey: error.key };
        await services.relays.relayCopy(copy, target);
      }
      throw replayed();
    }
    if (outcome.kind === "fallback") {
      // The customer hears the fallback where they hear the flow (the channel's outbound URL); the sender's
      // answer carries it too, for a channel without one. Nothing was stored, so the id was not claimed: a retry
      // of it is taken like a new message.
      const { id, text, at } = outcome;
      const reply = { id, text, at, author: "bot" as const };
      if (target) void delivery.deliver(target, { type: "reply", conversationId, ...reply });
      return { status: 202, body: { conversationId, status: "unavailable", replies: [reply] } };
    }
    // Stored before the sender hears 202: from here on, the turn's replies survive this process.
    if (outcome.kind === "run" && target) {
      const { run, fromSeq } = outcome;
      const turn = {
        tenantId: channel.tenantId,
        channelId: channel.id,
        conversationId,
        runId: run.id,
        fromSeq,
      };
      await services.relays.relay(turn, target);
    }
    return {
      status: 202,
      body: {
        conversationId,
        status: outcome.kind === "run" ? "accepted" : "handoff",
        ...(outcome.kind === "run" ? { runId: outcome.run.id } : {}),
      },
    };
  };
}

function chatPayload(payload: Record<string, unknown>): { text: string; conversationId?: string } {
  const { text, conversationId } = payload;
  if (typeof text !== "string" || text.trim() === "" || text.length > MAX_MESSAGE_CHARS) throw badChatText();
  if (
    conversationId !== undefined &&
    (typeof conversationId !== "string" || !CONVERSATION_ID.test(conversationId))
  )
    throw badConversationId();
  return { text, ...(conversationId === undefined ? {} : { conversationId }) };
}
