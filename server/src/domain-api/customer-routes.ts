import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer } from "./customer-store";
import { emailParam, PAGE_DEFAULT_LIMIT, pageParams, parseQuery, textParam } from "./query-params";
import { audit, inTenant, notFound, optional, uniqueAs } from "./route-kit";

const Email = Type.String({ format: "email", minLength: 3, maxLength: 320 });
const Name = Type.String({ maxLength: 200 });
const Phone = Type.String({ maxLength: 50 });

export const CreateCustomerBody = Type.Object(
  { email: Email, name: Type.Optional(Name), phone: Type.Optional(Phone) },
  { additionalProperties: false },
);
export const PatchCustomerBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TAKEN = "Another customer of this tenant has this email.";

/** CRM customers: viewers read, editors create, change and delete (orders keep their email). */
export function customerRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/crm/customers",
      summary: "List customers, newest first (?email=, ?q= part of name or email, ?limit=, ?cursor=).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, { ...pageParams, email: emailParam, q: textParam(200) });
        const filter = { ...query, limit: query.limit ?? PAGE_DEFAULT_LIMIT };
        res.json(await inTenant(db, res, (sql) => listCustomers(sql, filter)));
      },
    },
    {
      method: "post",
      path: "/crm/customers",
      summary: "Create a customer; the email is unique per tenant (409 FD342).",
      auth: "user",
      role: "editor",
      body: CreateCustomerBody,
      example: { email: "maya@example.com", name: "Maya Lindqvist", phone: "+1 503 555 0142" },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof CreateCustomerBody>;
        const { tenantId } = requireAuth(res);
        const input = {
          email: body.email.trim().toLowerCase(),
          name: optional(body.name) ?? null,
          phone: optional(body.phone) ?? null,
        };
        const item = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const created = await createCustomer(sql, tenantId, input);
            await audit(sql, res, "customer.create", String(created.id));
            return created;
          }),
        );
        res.status(201).json(item);
      },
    },
    {
      method: "get",
      path: "/crm/customers/:id",
      resource: "customers",
      summary: "One customer.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const item = await inTenant(db, res, (sql) => getCustomer(sql, String(req.params.id)));
        if (!item) throw notFound("customer");
        res.json(item);
      },
    },
    {
      method: "patch",
      path: "/crm/customers/:id",
      resource: "customers",
      summary: "Change a customer's email, name or phone (null clears name and phone).",
      auth: "user",
      role: "editor",
      body: PatchCustomerBody,
      example: { name: "Maya L. Lindqvist" },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof PatchCustomerBody>;
        const patch = {
          ...(body.email !== undefined ? { email: body.email.trim().toLowerCase() } : {}),
          ...(body.name !== undefined ? { name: optional(body.name) } : {}),
          ...(body.phone !== undefined ? { phone: optional(body.phone) } : {}),
        };
        const id = String(req.params.id);
        const updated = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const result = await updateCustomer(sql, id, patch);
            if (result) {
              await audit(sql, res, "customer.update", String(result.item.id), { fields: result.fields });
            }
            return result;
          }),
        );
        if (!updated) throw notFound("customer");
        res.json(updated.item);
      },
    },
    {
      method: "delete",
      path: "/crm/customers/:id",
      resource: "customers",
      summary: "Delete a customer. Their orders stay (with the email) and lose only the link.",
      auth: "user",
      role: "editor",
      status: 204,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const deleted = await inTenant(db, res, async (sql) => {
          const done = await deleteCustomer(sql, id);
          if (done) {
            await audit(sql, res, "customer.delete", id.toLowerCase());
          }
          return done;
        });
        if (!deleted) throw notFound("customer");
        res.status(204).end();
      },
    },
  ];
}
