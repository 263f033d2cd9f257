import { BEFORE_SHIPPING, ORDER_STATUSES, type Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import { ALLOWED_KEYWORD } from "../kit/body-problem";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { createOrder, getOrder, listOrders, orderKey, updateOrder } from "./order-store";
import { emailParam, enumParam, PAGE_DEFAULT_LIMIT, pageParams, parseQuery, textParam } from "./query-params";
import { audit, inTenant, notFound, optional, uniqueAs } from "./route-kit";

const Status = Type.Union(ORDER_STATUSES.map((status) => Type.Literal(status)));
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const NullableText = (maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
const Reason = Type.Optional(
  Type.String({ maxLength: 500, description: "Why; kept in the order's history." }),
);

const Item = Type.Object(
  {
    sku: Text(64),
    name: Text(200),
    quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
    unit_price: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);

export const CreateOrderBody = Type.Object(
  {
    id: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9-]{0,63}$",
      title: "Order number",
      [ALLOWED_KEYWORD]:
        "use letters, digits and hyphens, starting with a letter or digit (e.g. AO-10492); at most 64 characters",
      description: "The order number, e.g. AO-10492.",
    }),
    customerEmail: Type.String({ format: "email", minLength: 3, maxLength: 320 }),
    items: Type.Array(Item, { maxItems: 500 }),
    total: Type.Optional(
      Type.Number({ minimum: 0, maximum: 9_999_999_999, description: "Default: sum of items." }),
    ),
    currency: Type.Optional(
      Type.String({
        pattern: "^[A-Z]{3}$",
        [ALLOWED_KEYWORD]: "use a three-letter code in capitals, such as EUR or USD",
      }),
    ),
    shippingAddress: Text(1000),
    status: Type.Optional(Status),
    estimatedDelivery: Type.Optional(Type.String({ format: "date" })),
    carrier: Type.Optional(Text(100)),
    trackingNumber: Type.Optional(Text(100)),
    trackingUrl: Type.Optional(Type.String({ format: "uri", maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const PatchOrderBody = Type.Object(
  {
    status: Type.Optional(Status),
    shippingAddress: Type.Optional(Text(1000)),
    estimatedDelivery: Type.Optional(Type.Union([Type.String({ format: "date" }), Type.Null()])),
    carrier: NullableText(100),
    trackingNumber: NullableText(100),
    trackingUrl: Type.Optional(Type.Union([Type.String({ format: "uri", maxLength: 2000 }), Type.Null()])),
    reason: Reason,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CancelOrderBody = Type.Object({ reason: Reason }, { additionalProperties: false });

/**
 * Orders: viewers read, editors create and change them. Orders are business records, so there is no
 * DELETE: `POST /orders/:id/cancel` cancels one that has not shipped (the order tool's rule), and PATCH lets
 * staff set any status (corrections); both are written to the order's history.
 */
export function orderRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/orders",
      summary:
        "List orders, newest first (?status=, ?email=, ?q= part of number or email, ?limit=, ?cursor=).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, {
          ...pageParams,
          status: enumParam(ORDER_STATUSES),
          email: emailParam,
          q: textParam(200),
        });
        const filter = { ...query, limit: query.limit ?? PAGE_DEFAULT_LIMIT };
        res.json(await inTenant(db, res, (sql) => listOrders(sql, filter)));
      },
    },
    {
      method: "post",
      path: "/orders",
      summary:
        "Record an order (number unique per tenant, 409 FD342); linked to the customer with its email.",
      auth: "user",
      role: "editor",
      body: CreateOrderBody,
      example: {
        id: "AO-20001",
        customerEmail: "maya@example.com",
        items: [{ sku: "RJ-200-M", name: "Ridgeline Waterproof Jacket (M)", quantity: 1, unit_price: 189 }],
        currency: "USD",
        shippingAddress: "Maya Lindqvist, 1420 SE Alder St, Portland, OR 97214, USA",
      },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof CreateOrderBody>;
        const { tenantId } = requireAuth(res);
        const sum = body.items.reduce((total, item) => total + item.quantity * item.unit_price, 0);
        const input = {
          id: orderKey(body.id),
          customerEmail: body.customerEmail.trim().toLowerCase(),
          status: body.status ?? "pending",
          items: body.items,
          total: Math.round((body.total ?? sum) * 100) / 100,
          currency: body.currency ?? "USD",
          shippingAddress: body.shippingAddress.trim(),
          estimatedDelivery: body.estimatedDelivery ?? null,
          carrier: optional(body.carrier) ?? null,
          trackingNumber: optional(body.trackingNumber) ?? null,
          trackingUrl: body.trackingUrl ?? null,
        };
        const item = await uniqueAs(`An order ${input.id} already exists.`, () =>
          inTenant(db, res, async (sql) => {
            const created = await createOrder(sql, tenantId, input);
            await audit(sql, res, "order.create", input.id, { status: input.status });
            return created;
          }),
        );
        res.status(201).json(item);
      },
    },
    {
      method: "get",
      path: "/orders/:id",
      resource: "orders",
      summary: "One order by number (case-insensitive), with its items and history.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const item = await inTenant(db, res, (sql) => getOrder(sql, String(req.params.id)));
        if (!item) throw notFound("order");
        res.json(item);
      },
    },
    {
      method: "patch",
      path: "/orders/:id",
      resource: "orders",
      summary: "Change status, address, delivery date or tracking; status and address changes go to history.",
      auth: "user",
      role: "editor",
      body: PatchOrderBody,
      example: { carrier: "UPS", trackingNumber: "1Z999AA10123456784", estimatedDelivery: "2026-12-01" },
      status: 200,
      handler: async (req, res) => {
        const { reason, ...body } = req.body as Static<typeof PatchOrderBody>;
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(body))
          patch[key] = typeof value === "string" ? optional(value) : value;
        if (patch.shippingAddress === null) delete patch.shippingAddress;
        const updated = await inTenant(db, res, async (sql) => {
          const result = await updateOrder(sql, String(req.params.id), patch, optional(reason) ?? undefined);
          if (result) {
            const moved = patch.status !== undefined && patch.status !== result.statusBefore;
            await audit(sql, res, "order.update", String(result.item.id), {
              fields: result.fields,
              ...(moved ? { from: result.statusBefore, to: patch.status } : {}),
            });
          }
          return result;
        });
        if (!updated) throw notFound("order");
        res.json(updated.item);
      },
    },
    {
      method: "post",
      path: "/orders/:id/cancel",
      resource: "orders",
      summary: "Cancel an order that has not shipped (pending, processing, on hold); otherwise 409 FD343.",
      auth: "user",
      role: "editor",
      body: CancelOrderBody,
      example: { reason: "The customer asked by phone." },
      status: 200,
      handler: async (req, res) => {
        const { reason } = req.body as Static<typeof CancelOrderBody>;
        const updated = await inTenant(db, res, async (sql) => {
          const order = await getOrder(sql, String(req.params.id), { forUpdate: true });
          if (!order) throw notFound("order");
          // Not yet handed to the carrier: the same rule as the customer-facing order tool.
          if (!BEFORE_SHIPPING.has(String(order.status))) {
            throw new ApiError(
              "FD343",
              `Order ${String(order.id)} is ${String(order.status).replaceAll("_", " ")}, so it cannot be cancelled.`,
            );
          }
          const result = await updateOrder(
            sql,
            String(order.id),
            { status: "cancelled" },
            optional(reason) ?? undefined,
            "cancel",
          );
          await audit(sql, res, "order.cancel", String(order.id), { from: order.status, to: "cancelled" });
          return result!;
        });
        res.json(updated.item);
      },
    },
  ];
}
