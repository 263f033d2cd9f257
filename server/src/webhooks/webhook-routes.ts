import type { Request } from "express";
import type { RouteDefinition } from "../kit/route-table";
import { MESSAGE_ID_HEADER, SIGNATURE_HEADER } from "./webhook-signature";
import type { AnswerWebhookCall } from "./webhook-call";

/** The request body exactly as received: the signature covers these bytes, not a re-serialisation. */
export function rawBodyOf(req: Request): Buffer | undefined {
  return (req as Request & { rawBody?: Buffer }).rawBody;
}

/**
 * `POST /webhooks/:id` in the route table: its OpenAPI entry, and the Express way in for a call the listening
 * server's own fast path (app/webhook-fast-path.ts) leaves to Express (a browser's Origin, another body encoding) or
 * for an app served without it. Both answer through the same `answer` (webhook-call.ts).
 */
export function webhookRoutes(answer: AnswerWebhookCall): RouteDefinition[] {
  return [
    {
      method: "post",
      path: "/webhooks/:id",
      summary:
        "A signed call on a webhook channel (Flowdeck-Signature, Flowdeck-Message-Id): runs the channel's flow once per message id.",
      auth: "public",
      status: 200,
      handler: async (req, res) => {
        const { status, body } = await answer({
          channelId: String(req.params.id),
          signature: req.get(SIGNATURE_HEADER),
          messageId: req.get(MESSAGE_ID_HEADER),
          raw: rawBodyOf(req),
          body: req.body as unknown,
        });
        res.status(status).json(body);
      },
    },
  ];
}
