import { DEFAULT_ORDER_FIELDS } from "../../nodes/order-fields";
import type { Order } from "../context";

/**
 * The order as a tool node outputs it: only the listed fields (`fields`, default DEFAULT_ORDER_FIELDS), so
 * what reaches a model prompt or a reply is what the flow asked for, never the whole customer record.
 */
export function projectOrder(
  order: Order | undefined,
  fields: readonly string[] | undefined,
): Record<string, unknown> | null {
  if (!order) return null;
  const record = order as unknown as Record<string, unknown>;
  const projected: Record<string, unknown> = {};
  for (const field of fields ?? DEFAULT_ORDER_FIELDS)
    if (Object.hasOwn(record, field)) projected[field] = record[field];
  return projected;
}
