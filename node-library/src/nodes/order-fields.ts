import Type from "typebox";

/** Every field of an order the order tools can return (runtime's `OrderView`). */
export const ORDER_FIELDS = [
  "id",
  "status",
  "items",
  "total",
  "currency",
  "estimated_delivery",
  "carrier",
  "tracking_number",
  "tracking_url",
  "created_at",
  "updated_at",
  "customer_email",
  "shipping_address",
] as const;

export type OrderField = (typeof ORDER_FIELDS)[number];

/**
 * What an order tool returns unless its config asks for more: what a status or change reply needs. The
 * customer's email and address stay out, since a tool's output reaches model prompts and replies, and an
 * injected instruction can make a model repeat anything it was given.
 */
export const DEFAULT_ORDER_FIELDS: readonly OrderField[] = ORDER_FIELDS.filter(
  (field) => field !== "customer_email" && field !== "shipping_address",
);

/** The `fields` setting of the order tools. */
export function orderFieldsSetting() {
  return Type.Optional(
    Type.Array(Type.Enum([...ORDER_FIELDS], { type: "string" }), {
      default: [...DEFAULT_ORDER_FIELDS],
      uniqueItems: true,
      maxItems: ORDER_FIELDS.length,
      title: "Order fields",
      description:
        "Fields of the order in this node's output. By default everything but the customer's email and " +
        "shipping address; list those here only if a later step needs them.",
    }),
  );
}
