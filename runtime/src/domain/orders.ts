import type { Order, OrderUpdate } from "@flowdeck/node-library/runtime";
import type { Sql } from "../store/database";
import { cleanText, isoTimestamp, toJson } from "../store/sql-values";
import { orderIdCandidates } from "./order-ids";
import { decideOrderUpdate } from "./order-rules";

/** An order as the tools return it: the `Order` shape plus carrier details and the last change time. */
export interface OrderView extends Order {
  readonly carrier: string | null;
  readonly tracking_number: string | null;
  readonly updated_at: string;
}

export interface OrderUpdateResult {
  readonly updated: boolean;
  readonly reason?: string;
  readonly order: OrderView | undefined;
}

// Numbers and dates are converted in SQL so both drivers return the same JS types (pg gives numeric as text
// and date as a local-midnight Date).
const ORDER_COLUMNS = `id, status, customer_email, items, total::float8 AS total, currency, shipping_address,
  to_char(estimated_delivery, 'YYYY-MM-DD') AS estimated_delivery, carrier, tracking_number, tracking_url,
  created_at, updated_at`;

interface OrderRow extends Omit<OrderView, "created_at" | "updated_at"> {
  created_at: Date | string;
  updated_at: Date | string;
}

function toOrder(row: OrderRow): OrderView {
  return { ...row, created_at: isoTimestamp(row.created_at), updated_at: isoTimestamp(row.updated_at) };
}

/**
 * The order with this number (case-insensitive, `#` and surrounding words tolerated) AND this email. The number
 * alone is printed on parcels and guessable, so it never finds an order: a blank or wrong email answers
 * undefined, exactly as an unknown number does, and the query is the same for both (nothing to time).
 */
export async function findOrder(
  sql: Sql,
  tenantId: string,
  query: { readonly orderId: string; readonly customerEmail: string },
  options: { readonly forUpdate?: boolean } = {},
): Promise<OrderView | undefined> {
  const ids = orderIdCandidates(cleanText(query.orderId));
  const email = cleanText(query.customerEmail).trim().toLowerCase();
  if (ids.length === 0 || email === "") return undefined;
  const { rows } = await sql.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders
      WHERE tenant_id = $1 AND id = ANY($2::text[]) AND customer_email = $3
      ORDER BY array_position($2::text[], id)
      LIMIT 1
      ${options.forUpdate ? "FOR UPDATE" : ""}`,
    [tenantId, ids, email],
  );
  return rows[0] ? toOrder(rows[0]) : undefined;
}

/** Applies one action under a row lock, following `decideOrderUpdate`; the change and why go into `history`. */
export async function applyOrderUpdate(
  sql: Sql,
  tenantId: string,
  update: OrderUpdate,
): Promise<OrderUpdateResult> {
  const order = await findOrder(
    sql,
    tenantId,
    { orderId: update.orderId, customerEmail: update.customerEmail },
    { forUpdate: true },
  );
  if (!order) {
    // One answer for an unknown number and a wrong or missing email, so a guess learns nothing.
    const given = update.orderId.trim();
    return {
      updated: false,
      reason:
        given === ""
          ? "No order number was given."
          : `No order with the number ${given} was found for that email address.`,
      order: undefined,
    };
  }
  const decision = decideOrderUpdate(order, update);
  if (!decision.allowed) return { updated: false, reason: decision.reason, order };
  const entry = {
    at: new Date().toISOString(),
    action: update.action,
    from: order.status,
    to: decision.status,
    ...(decision.shippingAddress !== order.shipping_address ? { address: decision.shippingAddress } : {}),
    ...(update.reason?.trim() ? { reason: update.reason.trim() } : {}),
  };
  const { rows } = await sql.query<OrderRow>(
    `UPDATE orders
        SET status = $3, shipping_address = $4, history = history || jsonb_build_array($5::jsonb), updated_at = now()
      WHERE tenant_id = $1 AND id = $2
      RETURNING ${ORDER_COLUMNS}`,
    [tenantId, order.id, decision.status, cleanText(decision.shippingAddress), toJson(entry)],
  );
  return { updated: true, order: toOrder(rows[0]!) };
}
