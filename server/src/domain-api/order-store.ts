import type { Sql } from "@flowdeck/runtime";
import { containsPattern, toApi } from "./route-kit";
import { SqlParams, selectPage, setClause } from "./sql-parts";

// Numbers and dates converted in SQL so both drivers answer the same JSON (see runtime's orders.ts).
const COLUMNS = `id, customer_id, customer_email, status, items, total::float8 AS total, currency, shipping_address,
  to_char(estimated_delivery, 'YYYY-MM-DD') AS estimated_delivery, carrier, tracking_number, tracking_url, history,
  created_at, updated_at`;

const PATCHABLE = {
  status: "status",
  shippingAddress: "shipping_address",
  estimatedDelivery: "estimated_delivery",
  carrier: "carrier",
  trackingNumber: "tracking_number",
  trackingUrl: "tracking_url",
} as const;

export interface OrderItem {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unit_price: number;
}

export interface OrderInput {
  readonly id: string;
  readonly customerEmail: string;
  readonly status: string;
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  readonly shippingAddress: string;
  readonly estimatedDelivery: string | null;
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly trackingUrl: string | null;
}

export interface OrderFilter {
  readonly status?: string;
  readonly email?: string;
  /** Part of the order number or the customer's email. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** Order numbers are stored upper-case (AO-10492), so lookups ignore case like the order tool's. */
export const orderKey = (id: string) => id.trim().toUpperCase();

export async function listOrders(sql: Sql, filter: OrderFilter) {
  const params = new SqlParams();
  const where: string[] = [];
  if (filter.status) where.push(`status = ${params.add(filter.status)}`);
  if (filter.email) where.push(`customer_email = ${params.add(filter.email)}`);
  if (filter.q) {
    const pattern = params.add(containsPattern(filter.q));
    where.push(`(id ILIKE ${pattern} OR customer_email ILIKE ${pattern})`);
  }
  const page = await selectPage<object>(sql, {
    select: `SELECT ${COLUMNS} FROM orders`,
    idType: "text",
    params,
    where,
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.rows.map(toApi), nextCursor: page.nextCursor };
}

export async function getOrder(sql: Sql, id: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await sql.query(
    `SELECT ${COLUMNS} FROM orders WHERE id = $1 ${options.forUpdate ? "FOR UPDATE" : ""}`,
    [orderKey(id)],
  );
  return rows[0] ? toApi(rows[0]) : undefined;
}

/** Links the order to the tenant's customer with the same email, when there is one. */
export async function createOrder(sql: Sql, tenantId: string, input: OrderInput) {
  const { rows } = await sql.query(
    `INSERT INTO orders (tenant_id, id, customer_id, customer_email, status, items, total, currency,
                         shipping_address, estimated_delivery, carrier, tracking_number, tracking_url)
     VALUES ($1, $2, (SELECT id FROM customers WHERE email = $3), $3, $4, $5::jsonb, $6, $7, $8, $9::date, $10,
             $11, $12)
     RETURNING ${COLUMNS}`,
    [
      tenantId,
      input.id,
      input.customerEmail,
      input.status,
      JSON.stringify(input.items),
      input.total,
      input.currency,
      input.shippingAddress,
      input.estimatedDelivery,
      input.carrier,
      input.trackingNumber,
      input.trackingUrl,
    ],
  );
  return toApi(rows[0]!);
}

/**
 * Applies a staff change under a row lock. A status or address change is also appended to `history` (what
 * changed, from what, why), the same log the order tool keeps, so the customer-facing flows can explain it.
 */
export async function updateOrder(
  sql: Sql,
  id: string,
  patch: Record<string, unknown>,
  reason: string | undefined,
  action = "staff_update",
) {
  const before = await getOrder(sql, id, { forUpdate: true });
  if (!before) return undefined;
  const params = new SqlParams();
  const set = setClause(params, patch, PATCHABLE);
  const statusChanged = patch.status !== undefined && patch.status !== before.status;
  const addressChanged =
    patch.shippingAddress !== undefined && patch.shippingAddress !== before.shippingAddress;
  let history = "";
  if (statusChanged || addressChanged) {
    const entry = {
      at: new Date().toISOString(),
      action,
      from: before.status,
      to: patch.status ?? before.status,
      ...(addressChanged ? { address: patch.shippingAddress } : {}),
      ...(reason ? { reason } : {}),
    };
    history = `, history = history || jsonb_build_array(${params.add(JSON.stringify(entry))}::jsonb)`;
  }
  const { rows } = await sql.query(
    `UPDATE orders SET ${set.sql}${history} WHERE id = ${params.add(before.id)}
     RETURNING ${COLUMNS}`,
    params.values,
  );
  return { item: toApi(rows[0]!), fields: set.fields, statusBefore: String(before.status) };
}
