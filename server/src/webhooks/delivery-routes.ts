import type { Database, Sql } from "@flowdeck/runtime";
import type { Response } from "express";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditChannel, retriedDetail } from "../channels/channel-audit";
import { getChannel } from "../channels/channel-store";
import type { ChannelRecord } from "../channels/channel-types";
import { channelDeliveries } from "./delivery-stats";
import { existingDeliveries, retryGivenUp } from "./delivery-store";

const LISTED_DELIVERIES = 100;

export const RetryDeliveriesBody = Type.Object(
  {
    ids: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: LISTED_DELIVERIES,
        description:
          "Given-up deliveries to retry (their `id` in GET /channels/:id/deliveries); all when absent.",
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A webhook channel's outbound deliveries (issue 19): how many were delivered, failed attempts, messages given
 * up and still owed with their last error, and a health summary the channel page shows as a warning. Admins
 * can owe given-up messages again once the receiver is fixed: a day of retries still ends, and a customer's
 * reply should not be lost because the receiver came back on day two.
 */
export function deliveryRoutes(db: Database): RouteDefinition[] {
  /** `fn` in the caller's tenant, on a channel of it (404 FD322 otherwise); an ApiError of `fn` rolls back. */
  async function onChannel<T>(
    res: Response,
    channelId: string,
    fn: (sql: Sql, channel: ChannelRecord) => Promise<T>,
  ): Promise<T> {
    const found = await db.transaction(
      async (sql) => {
        const channel = await getChannel(sql, channelId);
        return channel ? { value: await fn(sql, channel) } : undefined;
      },
      { tenantId: requireAuth(res).tenantId },
    );
    if (!found) throw new ApiError("FD322", "No such channel.");
    return found.value;
  }

  /** All of `ids` retried, or none: a missing one is 404 FD322, one still owed 409 FD343. */
  async function retryNamed(sql: Sql, channelId: string, ids: readonly string[]): Promise<string[]> {
    const retried = await retryGivenUp(sql, channelId, ids);
    if (retried.length === ids.length) return retried;
    const existing = await existingDeliveries(sql, channelId, ids);
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0)
      throw new ApiError(
        "FD322",
        `No such delivery on this channel: ${missing.join(", ")} (delivered messages are not kept).`,
        { details: { missing } },
      );
    const owed = ids.filter((id) => !retried.includes(id));
    throw new ApiError("FD343", `Still being retried, not given up: ${owed.join(", ")}.`, {
      details: { owed },
    });
  }

  return [
    {
      method: "get",
      path: "/channels/:id/deliveries",
      resource: "channels",
      summary:
        "A webhook channel's outbound deliveries: totals, the last error, and messages still owed or given up.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const id = String(req.params.id);
        res.json(await onChannel(res, id, (sql) => channelDeliveries(sql, id, LISTED_DELIVERIES)));
      },
    },
    {
      method: "post",
      path: "/channels/:id/deliveries/retry",
      resource: "channels",
      summary:
        "Owe a webhook channel's given-up messages (all, or those named) again: a fresh round of attempts, due now (audited).",
      auth: "user",
      role: "admin",
      body: RetryDeliveriesBody,
      example: {},
      status: 200,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const body = req.body as Static<typeof RetryDeliveriesBody>;
        const ids = body.ids ? [...new Set(body.ids)] : undefined;
        const retried = await onChannel(res, id, async (sql, channel) => {
          const owed = ids ? await retryNamed(sql, id, ids) : await retryGivenUp(sql, id);
          // In the retry's transaction: who sent a customer's replies out again is on record, or nothing was.
          // Nothing given up, nothing owed again: no row.
          if (owed.length > 0)
            await auditChannel(
              sql,
              res,
              "retry_deliveries",
              channel.id,
              retriedDetail(channel, owed, ids ? "named" : "all"),
            );
          return owed;
        });
        res.json({ retried: retried.length, ids: retried });
      },
    },
  ];
}
