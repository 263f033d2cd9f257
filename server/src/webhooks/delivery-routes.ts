import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { getChannel } from "../channels/channel-store";
import { channelDeliveries } from "./delivery-stats";

const LISTED_DELIVERIES = 100;

/**
 * A webhook channel's outbound deliveries (issue 19): how many were delivered, failed attempts, messages given
 * up and still owed with their last error, and a health summary the channel page shows as a warning.
 */
export function deliveryRoutes(db: Database): RouteDefinition[] {
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
        const { tenantId } = requireAuth(res);
        const id = String(req.params.id);
        const found = await db.transaction(
          async (sql) => {
            const channel = await getChannel(sql, id);
            return channel ? channelDeliveries(sql, id, LISTED_DELIVERIES) : undefined;
          },
          { tenantId },
        );
        if (!found) throw new ApiError("FD322", "No such channel.");
        res.json(found);
      },
    },
  ];
}
