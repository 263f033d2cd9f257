import { createRunStore, runModeOf, type RunRecord, type Sql } from "@flowdeck/runtime";
import { NON_BLANK_PATTERN } from "@flowdeck/schemas";
import type { Response } from "express";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { secretAad } from "../channels/channel-routes";
import { getChannel } from "../channels/channel-store";
import { MAX_MESSAGE_CHARS } from "../chat/chat-options";
import type { ChatServices } from "../chat/chat-services";
import { handoffMessages } from "../chat/conversation-history";
import { outboundTarget } from "../webhooks/outbound-target";
import { listWaitingConversations } from "./inbox-store";

// Text of only spaces or line breaks would reach the customer as an empty bubble: refused with the field's label
// (the editor's, kit/field-label.ts), "Your answer to the customer cannot be blank." (kit/body-problem.ts).
export const AgentReplyBody = Type.Object(
  {
    text: Type.String({
      title: "Your answer to the customer",
      minLength: 1,
      maxLength: MAX_MESSAGE_CHARS,
      pattern: NON_BLANK_PATTERN,
    }),
  },
  { additionalProperties: false },
);
export const HandbackBody = Type.Object(
  {
    /** true: the human solved it (the flow closes); false: the flow carries on with the conversation. */
    resolved: Type.Boolean(),
    /** A last answer the flow receives as `agent_reply` (and the customer sees). */
    text: Type.Optional(
      Type.String({
        title: "Your last answer to the customer",
        minLength: 1,
        maxLength: MAX_MESSAGE_CHARS,
        pattern: NON_BLANK_PATTERN,
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The human handoff inbox: conversations waiting for a person, each with its transcript and the run's trace; an
 * agent answers on the customer's own channel (WebSocket sessions of the conversation, or the webhook
 * channel's URL) and hands the conversation back to the flow. Members read; editors and up answer.
 */
export function inboxRoutes(services: ChatServices): RouteDefinition[] {
  const { db, hub, outbound: delivery } = services;
  const store = createRunStore(db);
  const inTenant = <T>(res: Response, fn: (sql: Sql) => Promise<T>): Promise<T> =>
    db.transaction(fn, { tenantId: requireAuth(res).tenantId });

  async function runOr404(res: Response, id: string): Promise<RunRecord> {
    const run = await store.getRun(requireAuth(res).tenantId, id);
    // A replay is nobody's conversation: no human answers or hands it back (its trace is under /runs).
    if (!run || runModeOf(run.channel) === "replay") throw new ApiError("FD322", "No such conversation.");
    return run;
  }

  /** The webhook channel a run's conversation came in on, with its opened secret, if any. */
  async function webhookTarget(res: Response, run: RunRecord) {
    if (!run.channel.startsWith("webhook:")) return undefined;
    const channel = await inTenant(res, (sql) => getChannel(sql, run.channel.slice("webhook:".length)));
    if (!channel?.secretBox) return undefined;
    return outboundTarget(
      channel,
      services.secretBox.open(channel.secretBox, secretAad(channel.tenantId, channel.id)),
    );
  }

  /** An agent's message to the customer: kept for the transcript, sent on the customer's own channel. */
  async function agentReply(res: Response, run: RunRecord, text: string) {
    const caller = requireAuth(res);
    const message = await inTenant(res, async (sql) => {
      const { rows } = await sql.query<{ id: string; created_at: unknown }>(
        `INSERT INTO chat_messages (tenant_id, conversation_id, run_id, author, author_id, text)
         VALUES ($1, $2, $3, 'agent', $4, $5) RETURNING id::text AS id, created_at`,
        [caller.tenantId, run.conversationId, run.id, caller.userId, text],
      );
      const row = rows[0]!;
      return {
        id: row.id,
        at: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
      };
    });
    const frame = {
      conversationId: run.conversationId,
      id: message.id,
      author: "agent" as const,
      text,
      at: message.at,
    };
    hub.publish(caller.tenantId, run.conversationId, { type: "reply", ...frame });
    const target = await webhookTarget(res, run);
    if (target) void delivery.deliver(target, { type: "reply", ...frame });
    return message;
  }

  return [
    {
      method: "get",
      path: "/inbox/conversations",
      summary:
        "Conversations waiting for a human (runs in handoff), oldest first, with the handoff's reason.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        res.json({ items: await inTenant(res, listWaitingConversations) });
      },
    },
    {
      method: "get",
      path: "/inbox/runs/:id",
      resource: "runs",
      summary:
        "A conversation for the inbox: the transcript (flow and human turns) and the run's trace (steps, events).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const run = await runOr404(res, String(req.params.id));
        const [steps, events, messages] = await Promise.all([
          store.listSteps(run.tenantId, run.id),
          store.listEvents(run.tenantId, run.id),
          inTenant(res, (sql) => handoffMessages(sql, run.conversationId)),
        ]);
        res.json({
          runId: run.id,
          conversationId: run.conversationId,
          status: run.status,
          channel: run.channel,
          workflowName: run.workflowName,
          transcript: run.state.conversation.history,
          handoffMessages: messages,
          steps,
          events,
        });
      },
    },
    {
      method: "post",
      path: "/inbox/runs/:id/reply",
      resource: "runs",
      summary:
        "Answer the customer as an agent, on their own channel; the conversation stays with the human.",
      auth: "user",
      role: "editor",
      body: AgentReplyBody,
      example: { text: "Hi, I'm Sam from the support team. Let me check that for you." },
      status: 201,
      handler: async (req, res) => {
        const run = await runOr404(res, String(req.params.id));
        // A resolved or handed-back conversation is the flow's again: an answer now would reach nobody's inbox
        // turn and confuse the customer, so it is refused instead of silently stored.
        if (run.status !== "handoff")
          throw new ApiError("FD354", `The conversation is ${run.status}, no longer with a person.`);
        const { text } = req.body as Static<typeof AgentReplyBody>;
        const message = await agentReply(res, run, text);
        res.status(201).json({ ...message, conversationId: run.conversationId, text });
      },
    },
    {
      method: "post",
      path: "/inbox/runs/:id/handback",
      resource: "runs",
      summary:
        "Hand the conversation back to the flow (resolved or not). A run no longer with a human answers handedBack: false.",
      auth: "user",
      role: "editor",
      body: HandbackBody,
      example: { resolved: true },
      status: 200,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const run = await runOr404(res, String(req.params.id));
        const body = req.body as Static<typeof HandbackBody>;
        // Two agents pressing the button, or a retry: the second finds it handed back already, which is fine.
        if (run.status !== "handoff" || !services.runs) {
          res.json({ runId: run.id, status: run.status, handedBack: false });
          return;
        }
        // The agent's last words reach the customer like any of their replies, before the flow carries on.
        if (body.text) await agentReply(res, run, body.text);
        const target = await webhookTarget(res, run);
        const { run: after, fromSeq } = await services.runs.handback(caller.tenantId, run.id, {
          resolved: body.resolved,
          ...(body.text ? { agentReply: body.text } : {}),
        });
        if (target) {
          const { tenantId, conversationId } = run;
          const turn = { tenantId, channelId: target.channelId, conversationId, runId: run.id, fromSeq };
          await services.relays.relay(turn, target);
        }
        // Live only (not in the catch-up: the event log has no hand-back event); the widget keeps the note it showed.
        hub.publish(caller.tenantId, run.conversationId, {
          type: "handback",
          conversationId: run.conversationId,
          runId: run.id,
          resolved: body.resolved,
          at: new Date().toISOString(),
        });
        res.json({ runId: after.id, status: after.status, handedBack: true });
      },
    },
  ];
}
