import type { RouteDefinition } from "../kit/route-table";
import type { Role } from "../kit/roles";

/**
 * What an API key may do (issue 19 item 3). A small set, one pair per area an integration touches, so a key
 * for a CI job that publishes flows cannot read customers, and a helpdesk bridge cannot edit flows:
 *
 * | scope            | routes                                                                    |
 * |------------------|---------------------------------------------------------------------------|
 * | workflows:read   | GET /workflows…, GET /node-types, GET /workflow-templates                  |
 * | workflows:write  | create (also from a template), save, validate, publish, roll back, delete workflows; regression cases |
 * | runs:read        | GET /runs…, GET /analytics/…                                              |
 * | runs:write       | start, cancel and replay runs                                             |
 * | chat             | the human inbox: list, read, reply, hand back (/inbox/…)                  |
 * | data:read        | GET /crm/…, /orders…, /tickets…, /kb/…                                    |
 * | data:write       | create, change, cancel, close, delete those                               |
 * | admin            | /settings/…, /channels…, /audit, GET /members, /tenants/current           |
 *
 * Never with a key, whatever its scopes (FD318): who the people are and what keys exist — `/auth/…` (sessions),
 * `/api-keys…`, `/invitations…`, changing or removing members. A leaked key therefore cannot mint keys, invite
 * an accomplice or lock the owners out. Public routes ignore keys. The scope of a route is derived from its row
 * (first path segment and method), so a route added to the table is covered without editing this file, and the
 * scope walk test (api-key-scopes.test.ts) checks every row.
 */
export const API_KEY_SCOPES = [
  "workflows:read",
  "workflows:write",
  "runs:read",
  "runs:write",
  "chat",
  "data:read",
  "data:write",
  "admin",
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The scope a route needs from a key, or `session` for routes only a signed-in person may use. */
export type RouteScope = ApiKeyScope | "session";

const AREAS: Readonly<Record<string, "workflows" | "runs" | "chat" | "data" | "admin" | "session">> = {
  workflows: "workflows",
  "node-types": "workflows",
  "workflow-templates": "workflows",
  runs: "runs",
  analytics: "runs",
  inbox: "chat",
  crm: "data",
  orders: "data",
  tickets: "data",
  kb: "data",
  settings: "admin",
  channels: "admin",
  audit: "admin",
  tenants: "admin",
  members: "admin",
  auth: "session",
  "api-keys": "session",
  invitations: "session",
};

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/**
 * The scope a key needs for an authenticated route. A path whose first segment is not listed is `session`:
 * a new area is closed to keys until someone decides which scope opens it.
 */
export function routeScope(route: Pick<RouteDefinition, "method" | "path">): RouteScope {
  const area = AREAS[route.path.split("/")[1] ?? ""] ?? "session";
  if (area === "session") return "session";
  // Changing members is the people's business, like invitations; listing them is an admin's read.
  if (area === "admin" && route.path.startsWith("/members") && route.method !== "get") return "session";
  if (area === "chat" || area === "admin") return area;
  return `${area}:${route.method === "get" ? "read" : "write"}`;
}

/** The weakest role that can use every scope given: what a new key's role cap defaults to. */
export function defaultKeyRole(scopes: readonly ApiKeyScope[]): Exclude<Role, "owner"> {
  if (scopes.includes("admin")) return "admin";
  if (scopes.some((scope) => scope.endsWith(":write") || scope === "chat")) return "editor";
  return "viewer";
}
