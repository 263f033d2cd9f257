import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { createLead, deleteLead, getLead, LEAD_STATUSES, listLeads, updateLead } from "./lead-store";
import { emailParam, enumParam, PAGE_DEFAULT_LIMIT, pageParams, parseQuery, textParam } from "./query-params";
import { audit, inTenant, notFound, optional, uniqueAs } from "./route-kit";

const Email = Type.String({ format: "email", minLength: 3, maxLength: 320 });
const Field = Type.String({ maxLength: 500 });
const Notes = Type.String({ maxLength: 10_000 });
const Source = Type.String({ minLength: 1, maxLength: 100 });
const Status = Type.Union(LEAD_STATUSES.map((status) => Type.Literal(status)));
const Nullable = <T extends typeof Field>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const CreateLeadBody = Type.Object(
  {
    email: Email,
    name: Type.Optional(Field),
    company: Type.Optional(Field),
    phone: Type.Optional(Field),
    interest: Type.Optional(Field),
    source: Type.Optional(Source),
    notes: Type.Optional(Notes),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
export const PatchLeadBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Nullable(Field),
    company: Nullable(Field),
    phone: Nullable(Field),
    interest: Nullable(Field),
    source: Type.Optional(Source),
    notes: Nullable(Notes),
    status: Type.Optional(Status),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TAKEN = "Another lead of this tenant has this email.";

/** CRM leads (the lead-capture tool writes them too): viewers read, editors work the funnel. */
export function leadRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/crm/leads",
      summary: "List leads, newest first (?status=, ?email=, ?source=, ?q=, ?limit=, ?cursor=).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, {
          ...pageParams,
          status: enumParam(LEAD_STATUSES),
          email: emailParam,
          source: textParam(100),
          q: textParam(200),
        });
        const filter = { ...query, limit: query.limit ?? PAGE_DEFAULT_LIMIT };
        res.json(await inTenant(db, res, (sql) => listLeads(sql, filter)));
      },
    },
    {
      method: "post",
      path: "/crm/leads",
      summary: "Create a lead (status new, source manual unless given); the email is unique per tenant.",
      auth: "user",
      role: "editor",
      body: CreateLeadBody,
      example: {
        email: "jordan@example.com",
        name: "Jordan Lee",
        company: "Trailhead Co",
        interest: "Team jackets",
      },
      status: 201,
      handler: async (req, res) => {
        const body = req.body as Static<typeof CreateLeadBody>;
        const { tenantId } = requireAuth(res);
        const input = {
          email: body.email.trim().toLowerCase(),
          name: optional(body.name) ?? null,
          company: optional(body.company) ?? null,
          phone: optional(body.phone) ?? null,
          interest: optional(body.interest) ?? null,
          source: optional(body.source) ?? "manual",
          notes: optional(body.notes) ?? null,
          status: body.status ?? "new",
        };
        const item = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const created = await createLead(sql, tenantId, input);
            await audit(sql, res, "lead.create", String(created.id), { status: input.status });
            return created;
          }),
        );
        res.status(201).json(item);
      },
    },
    {
      method: "get",
      path: "/crm/leads/:id",
      resource: "leads",
      summary: "One lead.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const item = await inTenant(db, res, (sql) => getLead(sql, String(req.params.id)));
        if (!item) throw notFound("lead");
        res.json(item);
      },
    },
    {
      method: "patch",
      path: "/crm/leads/:id",
      resource: "leads",
      summary: "Change a lead: move it through the funnel (status) or edit its details (null clears).",
      auth: "user",
      role: "editor",
      body: PatchLeadBody,
      example: { status: "contacted", notes: "Called, sending a quote." },
      status: 200,
      handler: async (req, res) => {
        const body = req.body as Static<typeof PatchLeadBody>;
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(body)) {
          patch[key] =
            key === "email"
              ? String(value).trim().toLowerCase()
              : typeof value === "string"
                ? optional(value)
                : value;
        }
        if (patch.source === null) delete patch.source;
        const id = String(req.params.id);
        const updated = await uniqueAs(TAKEN, () =>
          inTenant(db, res, async (sql) => {
            const result = await updateLead(sql, id, patch);
            if (result) {
              const moved = body.status && body.status !== result.statusBefore;
              await audit(sql, res, "lead.update", String(result.item.id), {
                fields: result.fields,
                ...(moved ? { from: result.statusBefore, to: body.status } : {}),
              });
            }
            return result;
          }),
        );
        if (!updated) throw notFound("lead");
        res.json(updated.item);
      },
    },
    {
      method: "delete",
      path: "/crm/leads/:id",
      resource: "leads",
      summary: "Delete a lead (spam, duplicates). Lost leads are better kept with status lost.",
      auth: "user",
      role: "editor",
      status: 204,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const deleted = await inTenant(db, res, async (sql) => {
          const done = await deleteLead(sql, id);
          if (done) await audit(sql, res, "lead.delete", id.toLowerCase());
          return done;
        });
        if (!deleted) throw notFound("lead");
        res.status(204).end();
      },
    },
  ];
}
