import type { OrderUpdate } from "@flowdeck/node-library/runtime";

/** Every status an order can have (the `orders.status` CHECK lists the same). */
export const ORDER_STATUSES = [
  "pending",
  "processing",
  "on_hold",
  "shipped",
  "delivered",
  "cancelled",
  "return_requested",
  "returned",
  "refunded",
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Not yet handed to the carrier: the order can still be cancelled or re-addressed. */
export const BEFORE_SHIPPING: ReadonlySet<string> = new Set(["pending", "processing", "on_hold"]);

/** An update without its second factor: the order was already found by number and email. */
export type OrderChange = Omit<OrderUpdate, "customerEmail">;

export type OrderDecision =
  | { readonly allowed: true; readonly status: string; readonly shippingAddress: string }
  | { readonly allowed: false; readonly reason: string };

/**
 * The shop's rules for the order tool, as a pure function so they can be read and tested on their own.
 * A refusal is not an error: its `reason` is written for the customer, and the workflow's reply agent passes
 * it on (`{ updated: false, reason }`). Addresses are trimmed and must not be blank.
 */
export function decideOrderUpdate(
  order: { readonly id: string; readonly status: string; readonly shipping_address: string },
  update: OrderChange,
): OrderDecision {
  const { id, status } = order;
  const refuse = (reason: string): OrderDecision => ({ allowed: false, reason });
  const allow = (next: string, address = order.shipping_address): OrderDecision => ({
    allowed: true,
    status: next,
    shippingAddress: address,
  });

  switch (update.action) {
    case "cancel":
      if (BEFORE_SHIPPING.has(status)) return allow("cancelled");
      if (status === "cancelled") return refuse(`Order ${id} is already cancelled.`);
      if (status === "shipped") {
        return refuse(
          `Order ${id} has already shipped, so it can no longer be cancelled. It can be returned once it arrives.`,
        );
      }
      if (status === "delivered") {
        return refuse(
          `Order ${id} has already been delivered, so it cannot be cancelled. A return can be requested instead.`,
        );
      }
      return refuse(`Order ${id} is ${label(status)}, so it cannot be cancelled.`);

    case "change_address": {
      const address = update.address?.trim() ?? "";
      if (address === "") return refuse("No new delivery address was given.");
      if (BEFORE_SHIPPING.has(status)) return allow(status, address);
      if (status === "shipped") {
        return refuse(`Order ${id} has already shipped, so its delivery address can no longer be changed.`);
      }
      return refuse(`Order ${id} is ${label(status)}, so its delivery address cannot be changed.`);
    }

    case "request_return":
      if (status === "delivered") return allow("return_requested");
      if (status === "return_requested") return refuse(`A return is already registered for order ${id}.`);
      if (status === "returned" || status === "refunded")
        return refuse(`Order ${id} has already been returned.`);
      if (status === "shipped") {
        return refuse(
          `Order ${id} is still on its way; a return can be requested once it has been delivered.`,
        );
      }
      if (BEFORE_SHIPPING.has(status)) {
        return refuse(
          `Order ${id} has not shipped yet, so there is nothing to return. It can be cancelled instead.`,
        );
      }
      return refuse(`Order ${id} is ${label(status)}, so a return cannot be requested.`);

    case "update_status": {
      const next = update.status?.trim() ?? "";
      if (!isOrderStatus(next)) {
        return refuse(`"${next}" is not an order status; use one of ${ORDER_STATUSES.join(", ")}.`);
      }
      if (next === status) return refuse(`Order ${id} is already ${label(status)}.`);
      return allow(next);
    }

    default:
      // Reached only when a caller bypasses the node's schema (the action enum).
      return refuse(`"${String((update as { action: unknown }).action)}" is not an order action.`);
  }
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

function label(status: string): string {
  return status.replaceAll("_", " ");
}
