import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { emailParam, enumParam, PAGE_DEFAULT_LIMIT, pageParams, parseQuery, textParam } from "./query-params";
import { audit, inTenant, notFound, optional } from "./route-kit";
import {
  createTicket,
  getTicket,
  listTickets,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  updateTicket,
} from "./ticket-store";

const Status = Type.Union(TICKET_STATUSES.map((status) => Type.Literal(status)));
const Priority = Type.Union(TICKET_PRIORITIES.map((priority) => Type.Literal(priority)));
const Subject = Type.String({ minLength: 1, maxLength: 300, pattern: "\\S" });
const Description = Type.String({ minLength: 1, maxLength: 20_000, pattern: "\\S" });
const Category = Type.String({ maxLength: 100 });
const Email = Type.String({ format: "email", minLength: 3, maxLength: 320 });

export const CreateTicketBody = Type.Object(
  {
    subject: Subject,
    description: Description,
    priority: Type.Optional(Priority),
    category: Type.Optional(Category),
    customerEmail: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export const PatchTicketBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    description: Type.Optional(Description),
    priority: Type.Optional(Priority),
    category: Type.Optional(Type.Union([Category, Type.Null()])),
    status: Type.Optional(Status),
    customerEmail: Type.Optional(Type.Union([Email, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Support tickets (the ticket tool opens them from chat too): viewers read, editors work them. No DELETE. */
export function ticketRoutes(db: Database): RouteDefinition[] {
  async function change(
    res: Parameters<RouteDefinition["handler"]>[1],
    id: string,
    patch: Record<string, unknown>,
    action: string,
  ) {
    const updated = await inTenant(db, res, async (sql) => {
      const result = await updateTicket(sql, id, patch);
      if (!result) return undefined;
      const moved = patch.status !== undefined && patch.status !== result.statusBefore;
      // Closing a closed ticket changes nothing and records nothing.
      if (action === "ticket.update" || moved) {
        await audit(sql, res, action, String(result.item.id), {
          ...(action === "ticket.update" ? { fields: result.fields } : {}),
          ...(moved ? { from: result.statusBefore, to: patch.status } : {}),
        });
      }
      return result;
    });
    if (!updated) throw notFound("ticket");
    res.json(updated.item);
  }

  return [
    {
      method: "get",
      path: "/tickets",
      summary:
        "List tickets, newest first (?status=, ?priority=, ?email=, ?q= part of subject or id, ?limit=, ?cursor=).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, {
          ...pageParams,
          status: enumParam(TICKET_STATUSES),
          priority: enumParam(TICKET_PRIORITIES),
          email: emailParam,
          q: textParam(200),
        });
        const filter = { ...query, limit: query.limit ?? PAGE_DEFAULT_LIMIT };
        res.json(await inTenant(db, res, (sql) => listTickets(sql, filter)));
      },
    },
    {
      method: "post",
      path: "/tickets",
      summary: "Open a ticket (status open, priority medium unless given), numbered TCK-000001, TCK-000002 …",
      auth: "user",
      role: "editor",
      body: CreateTicketBody,
      example: {
        subject: "Parcel damaged on arrival",
        description: "The customer's jacket arrived with a torn sleeve; photos are in the chat.",
        priority: "high",
        category: "returns",
        customerEmail: "maya@example.com",
      },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof CreateTicketBody>;
        const { tenantId } = requireAuth(res);
        const input = {
          subject: body.subject.trim(),
          description: body.description.trim(),
          priority: body.priority ?? "medium",
          category: optional(body.category) ?? null,
          customerEmail: body.customerEmail?.trim().toLowerCase() ?? null,
        };
        const item = await inTenant(db, res, async (sql) => {
          const created = await createTicket(sql, tenantId, input);
          await audit(sql, res, "ticket.create", String(created.id), { priority: input.priority });
          return created;
        });
        res.status(201).json(item);
      },
    },
    {
      method: "get",
      path: "/tickets/:id",
      resource: "tickets",
      summary: "One ticket by id (TCK-000123, case-insensitive).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const item = await inTenant(db, res, (sql) => getTicket(sql, String(req.params.id)));
        if (!item) throw notFound("ticket");
        res.json(item);
      },
    },
    {
      method: "patch",
      path: "/tickets/:id",
      resource: "tickets",
      summary: "Change a ticket's status, priority, subject, description, category or customer email.",
      auth: "user",
      role: "editor",
      body: PatchTicketBody,
      example: { status: "pending", priority: "urgent" },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof PatchTicketBody>;
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(body)) {
          patch[key] =
            key === "customerEmail" && typeof value === "string" ? value.trim().toLowerCase() : value;
        }
        if (typeof patch.category === "string") patch.category = optional(patch.category);
        for (const key of ["subject", "description"])
          if (typeof patch[key] === "string") patch[key] = String(patch[key]).trim();
        await change(res, String(req.params.id), patch, "ticket.update");
      },
    },
    {
      method: "post",
      path: "/tickets/:id/close",
      resource: "tickets",
      summary: "Close a ticket (no body). Closing a closed ticket answers it unchanged.",
      auth: "user",
      role: "editor",
      status: 200,
      handler: async (req, res) => {
        await change(res, String(req.params.id), { status: "closed" }, "ticket.close");
      },
    },
  ];
}
