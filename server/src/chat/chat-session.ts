import type { WebSocket } from "ws";
import { ApiError, isApiError } from "../kit/api-error";
import { framesForEvents, parseClientFrame, type ClientFrame, type ServerFrame } from "./chat-frames";
import { ChatAuthError, customerFromKey, type ChatPrincipal } from "./chat-principal";
import type { ChatServices } from "./chat-services";
import { customerClaim, firstConversationOf, MessageReceivedBefore } from "../channels/message-claims";
import type { ConversationWatcher } from "./conversation-hub";
import { checkConversation, newConversationId } from "./customer-message";
import { sendOrFallback } from "./customer-fallback";
import { greetingFrame } from "./open-conversation";
import { corkUntilNextTick } from "./tick-cork";
import { channelChangedSince } from "../channels/channel-changes";
import { inChatMessageSpan } from "../telemetry/chat-message-span";

/** How long a customer session trusts its last channel-key check. */
const CUSTOMER_KEY_RECHECK_MS = 30_000;

/** What the upgrade carried, to re-check a customer's key and Origin as messages come (every few seconds). */
export interface Handshake {
  readonly key: string | undefined;
  readonly origin: string | undefined;
}

// setTimeout's limit: a token expiring later than ~24.8 days is re-checked on its messages only.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One WebSocket: the client's frames in order (one at a time, so a conversation's messages keep their order),
 * and the events of the conversation it is in. A customer's channel is re-read on every message, so a deleted
 * channel or a rotated key ends the session; a staff session ends when its access token expires.
 */
export function startChatSession(
  ws: WebSocket,
  principal: ChatPrincipal,
  services: ChatServices,
  handshake: Handshake,
): void {
  const { db, hub, history, options, log } = services;
  const staff = principal.kind === "staff";
  let current = principal;
  let conversationId: string | undefined;
  let leave: (() => void) | undefined;
  let queue: Promise<void> = Promise.resolve();

  function send(frame: ServerFrame): void {
    if (ws.readyState !== ws.OPEN) return;
    // A client that stopped reading: what we queue for it would grow without bound. Cut it off.
    if (ws.bufferedAmount > options.maxBufferedBytes) {
      log.warn("chat client cut off: not reading", {
        bufferedBytes: ws.bufferedAmount,
        tenant: principal.tenantId,
      });
      ws.terminate();
      return;
    }
    corkUntilNextTick(ws);
    ws.send(JSON.stringify(frame));
    services.metrics?.chatFrames.inc({ direction: "out" });
  }

  const watcher: ConversationWatcher = {
    onBatch: (batch) => {
      const { conversationId: id, runId, events } = batch;
      for (const frame of framesForEvents(id, runId, events, staff, undefined, options.customerFallbackText))
        send(frame);
    },
    onFrame: send,
  };

  function join(id: string): void {
    if (id === conversationId) return;
    leave?.();
    conversationId = id;
    leave = hub.watch(principal.tenantId, id, watcher);
    send({ type: "ready", conversationId: id, staff });
  }

  let expiry: NodeJS.Timeout | undefined;
  if (principal.kind === "staff") {
    const left = principal.expiresAtMs - Date.now();
    if (left <= MAX_TIMER_MS)
      expiry = setTimeout(() => ws.close(1008, "FD384 access token expired"), Math.max(0, left));
  }

  // The upgrade has just checked the key.
  let keyCheckedAtMs = Date.now();

  async function refresh(): Promise<boolean> {
    if (current.kind === "staff") {
      if (Date.now() < current.expiresAtMs) return true;
      ws.close(1008, "FD384 access token expired");
      return false;
    }
    // A key rotated or a channel deleted ends the session at its next message: at once when this process made
    // the change, within the re-check interval otherwise — not a read per message, a fifth of a message's cost.
    if (
      Date.now() - keyCheckedAtMs < CUSTOMER_KEY_RECHECK_MS &&
      !channelChangedSince(current.channel.id, keyCheckedAtMs)
    )
      return true;
    try {
      current = await customerFromKey(db, handshake.key ?? "", handshake.origin);
      keyCheckedAtMs = Date.now();
      return true;
    } catch (error) {
      if (!(error instanceof ChatAuthError)) throw error;
      ws.close(1008, `${error.code} ${error.message}`);
      return false;
    }
  }

  // A copy of a message taken before (the widget sends again what a dropped socket may have lost): nothing runs
  // again. When its first copy started a conversation that this client never heard of (the socket dropped
  // before `ready`), the session joins it and catches up, so the answer is not lost with the socket.
  async function receivedBefore(messageId: string, firstConversationId: string): Promise<void> {
    if (firstConversationId !== conversationId) {
      join(firstConversationId);
      for (const missed of await history.replay(current.tenantId, firstConversationId, undefined, staff))
        send(missed);
    }
    send({ type: "received", id: messageId, conversationId: firstConversationId });
  }

  async function handle(frame: ClientFrame): Promise<void> {
    if (!(await refresh())) return;
    if (frame.type === "open") {
      if (conversationId) return;
      const id = newConversationId();
      join(id);
      const greeting = await greetingFrame(services, current, id);
      if (greeting) send(greeting);
      return;
    }
    if (frame.type === "resume") {
      await checkConversation(db, current, frame.conversationId);
      join(frame.conversationId);
      for (const missed of await history.replay(current.tenantId, frame.conversationId, frame.after, staff))
        send(missed);
      return;
    }
    // The frame's schema takes any text, so that a blank one is refused in words (with its id) rather than as
    // "not a chat frame".
    if (frame.text.trim() === "")
      throw new ApiError("FD373", "The message is blank: write some text to send.");
    const isNew = !frame.conversationId && !conversationId;
    const id = frame.conversationId ?? conversationId ?? newConversationId();
    if (frame.conversationId && id !== conversationId) await checkConversation(db, current, id);
    if (id !== conversationId) join(id);
    send({ type: "typing", conversationId: id, on: true });
    const claim = customerClaim(current, frame.id);
    let outcome;
    try {
      outcome = await sendOrFallback(services, current, id, frame.text, {
        newConversation: isNew,
        ...(claim ? { claim } : {}),
      });
    } catch (error) {
      if (!(error instanceof MessageReceivedBefore)) throw error;
      send({ type: "typing", conversationId: id, on: false });
      await receivedBefore(frame.id!, (await firstConversationOf(db, current.tenantId, error)) ?? id);
      return;
    }
    if (frame.id) send({ type: "received", id: frame.id, conversationId: id });
    // The flow's turn ends typing itself (a settling event in the batch, see framesForEvents); the record that
    // message() answers for a resumed run still says `waiting`, so it says nothing about this turn. A message
    // kept for a human, or answered with the fallback text, starts no turn at all.
    if (outcome.kind === "fallback") {
      const { id: replyId, text, at } = outcome;
      send({ type: "reply", conversationId: id, id: replyId, author: "bot", text, at });
    }
    if (outcome.kind !== "run") send({ type: "typing", conversationId: id, on: false });
  }

  ws.on("message", (data, isBinary) => {
    services.metrics?.chatFrames.inc({ direction: "in" });
    const frame = isBinary ? undefined : parseClientFrame(data.toString("utf8"));
    if (!frame) {
      send({ type: "error", code: "FD373", message: 'Not a chat frame: send { type: "message", text }.' });
      return;
    }
    queue = queue
      .then(
        () => inChatMessageSpan(frame, current.tenantId, () => handle(frame)),
        () => undefined,
      )
      .catch((error: unknown) => {
        if (isApiError(error)) {
          // A refusal of this message answers it: the client stops sending it. An internal error does not.
          send({
            type: "error",
            code: error.code,
            message: error.message,
            ...(conversationId ? { conversationId } : {}),
            ...(frame.type === "message" && frame.id ? { id: frame.id } : {}),
          });
          if (conversationId) send({ type: "typing", conversationId, on: false });
          return;
        }
        log.error("chat message failed", { error, tenant: principal.tenantId });
        send({ type: "error", code: "FD399", message: "Internal error." });
      });
  });

  ws.on("close", () => {
    if (expiry) clearTimeout(expiry);
    leave?.();
    leave = undefined;
  });
  ws.on("error", () => ws.terminate());
  send({ type: "ready", staff });
}
