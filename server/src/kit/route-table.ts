import type { NextFunction, Request, Response } from "express";
import type { TSchema } from "typebox";
import type { Role } from "./roles";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * One row per API route: everything the router, the auth checks, body validation and (later) the OpenAPI 3.1
 * document need, in one place. Tests walk this table, so a route added here is covered by the anonymous-401
 * test without editing it.
 */
export interface RouteDefinition {
  readonly method: HttpMethod;
  /** Express path; `:name` parameters only. Matched strictly and case-sensitively. */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** `public`: no credentials. `user`: a valid access token; the handler's queries run in its tenant. */
  readonly auth: "public" | "user";
  /** Weakest role admitted (with `auth: "user"`). Default: any member. */
  readonly role?: Role;
  /** JSON body schema, validated with additionalProperties: false before the handler runs. */
  readonly body?: TSchema;
  /** A valid body (required with `body`): an OpenAPI example, and what the route walks send. */
  readonly example?: unknown;
  /**
   * With a `:id` parameter: the tenant table whose `id` it names. The cross-tenant walk aims another
   * tenant's token at a real row of it and expects 404 and no writes.
   */
  readonly resource?: string;
  /** Values for path parameters other than `:id` (e.g. `{ version: "1" }`), for the OpenAPI example and the walks. */
  readonly exampleParams?: Readonly<Record<string, string>>;
  /** Success status for the OpenAPI document. */
  readonly status: number;
  readonly handler: (req: Request, res: Response, next: NextFunction) => Promise<void>;
}

export type RouteTable = readonly RouteDefinition[];

const ROUTE_TABLE_KEY = "flowdeckRouteTable";

/** createApp keeps its table in app.locals so tests and the OpenAPI generator read the same list. */
export function storeRouteTable(locals: Record<string, unknown>, table: RouteTable): void {
  locals[ROUTE_TABLE_KEY] = table;
}

export function getRouteTable(app: { locals: Record<string, unknown> }): RouteTable {
  const table = app.locals[ROUTE_TABLE_KEY];
  if (!Array.isArray(table)) throw new Error("This app was not built by createApp.");
  return table as RouteTable;
}
