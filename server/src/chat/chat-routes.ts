import type { Request } from "express";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { framesForEvents, ChatMessageBody, type ServerFrame } from "./chat-frames";
import { ChatAuthError, customerFromKey, type ChatPrincipal } from "./chat-principal";
import { customerClaim, firstConversationOf, MessageReceivedBefore } from "../channels/message-claims";
import type { ChatServices } from "./chat-services";
import { watchTurn } from "./await-turn";
import { checkConversation, newConversationId } from "./customer-message";
import { sendOrFallback } from "./customer-fallback";
import { customerFromApiKey } from "../api-keys/api-key-chat";

/** The channel key of an HTTP chat call: `Authorization: Bearer fdp.…` or `X-Channel-Key`. */
function channelKeyOf(req: Request): string {
  const header = req.get("authorization");
  if (header?.startsWith("Bearer fdp.")) return header.slice("Bearer ".length);
  return req.get("x-channel-key") ?? "";
}

/**
 * HTTP chat for web channels. Like the socket, every call names an allowed Origin (browsers send it; a server
 * sends the one it is registered for: the key is public, so the Origin binding is what ties it to a site). A
 * message gets the
 * flow's replies in the answer when the flow settles within `syncReplyTimeoutMs`, else 202 with the URL to poll
 * for the rest (`GET /chat/conversations/:id/events?after=`).
 */
export function chatRoutes(services: ChatServices): RouteDefinition[] {
  const { db, history, options } = services;

  async function customer(req: Request): Promise<ChatPrincipal> {
    // A backend with an API key (scope chat) and the channel key, no Origin (api-keys/api-key-chat.ts).
    const server = await customerFromApiKey(db, req);
    if (server) return server;
    try {
      return await customerFromKey(db, channelKeyOf(req), req.get("origin"));
    } catch (error) {
      if (error instanceof ChatAuthError) throw error.toApiError();
      throw error;
    }
  }

  return [
    {
      method: "post",
      path: "/chat/messages",
      summary:
        "Send a customer message on a web channel (channel key); 200 with the replies, or 202 and where to poll.",
      auth: "public",
      body: ChatMessageBody,
      example: { text: "Where is my order AO-10492?" },
      status: 200,
      handler: async (req, res) => {
        const principal = await customer(req);
        const body = req.body as ChatMessageBody;
        const conversationId = body.conversationId ?? newConversationId();
        if (body.conversationId) await checkConversation(db, principal, conversationId);
        if (!services.runs) throw new ApiError("FD377", "Runs are not available in this server.");
        const claim = customerClaim(principal, body.id);
        const since = new Date().toISOString();
        const turn = watchTurn(services.runs, principal.tenantId, conversationId);
        let outcome;
        try {
          outcome = await sendOrFallback(services, principal, conversationId, body.text, {
            newConversation: !body.conversationId,
            ...(claim ? { claim } : {}),
          });
        } catch (error) {
          turn.cancel();
          if (!(error instanceof MessageReceivedBefore)) throw error;
          const first = await firstConversationOf(db, principal.tenantId, error);
          throw new ApiError("FD376", error.message, { details: { conversationId: first ?? null } });
        }
        const eventsUrl = `/chat/conversations/${conversationId}/events?after=${encodeURIComponent(since)}`;
        if (outcome.kind === "fallback") {
          // 200 like any answered message: the customer's client shows the text; the reason is for staff.
          turn.cancel();
          const { id, text, at } = outcome;
          res.json({
            conversationId,
            status: "unavailable",
            replies: [{ id, text, at, author: "bot" }],
            eventsUrl,
          });
          return;
        }
        if (outcome.kind === "with-human") {
          turn.cancel();
          res.status(202).json({ conversationId, status: "handoff", replies: [], eventsUrl });
          return;
        }
        const { batches, settledBy } = await turn.until(options.syncReplyTimeoutMs);
        const frames = batches.flatMap((batch) =>
          framesForEvents(
            conversationId,
            batch.runId,
            batch.events,
            false,
            undefined,
            options.customerFallbackText,
          ),
        );
        const replies = frames.filter(
          (frame): frame is Extract<ServerFrame, { type: "reply" }> => frame.type === "reply",
        );
        const handoff = frames.some((frame) => frame.type === "handoff");
        const status = settledBy ? (handoff ? "handoff" : settledBy.type.replace("run.", "")) : "running";
        res.status(settledBy ? 200 : 202).json({
          conversationId,
          runId: outcome.run.id,
          status,
          replies: replies.map(({ id, text, at, author, choices }) => ({
            id,
            text,
            at,
            author,
            ...(choices ? { choices } : {}),
          })),
          eventsUrl,
        });
      },
    },
    {
      method: "get",
      path: "/chat/conversations/:id/events",
      summary:
        "What a conversation's customer has been told since ?after= (ISO time): replies, agent answers, handoffs.",
      auth: "public",
      status: 200,
      handler: async (req, res) => {
        const principal = await customer(req);
        const conversationId = String(req.params.id);
        if (!/^[A-Za-z0-9_-]{8,100}$/.test(conversationId))
          throw new ApiError("FD378", "No such conversation.");
        const after =
          typeof req.query.after === "string" && !Number.isNaN(Date.parse(req.query.after))
            ? req.query.after
            : undefined;
        await checkConversation(db, principal, conversationId);
        const items = await history.replay(principal.tenantId, conversationId, after, false);
        const last = items.at(-1);
        res.json({ conversationId, items, next: last && "at" in last ? last.at : (after ?? null) });
      },
    },
  ];
}
