import type { DomainServices } from "@flowdeck/node-library/runtime";
import { requireTenantId, type Database } from "../store/database";
import { withIdempotencyKey } from "./idempotency";
import { searchArticles } from "./kb-search";
import { upsertLead } from "./leads";
import type { RunOrigin } from "./run-origin";
import { applyOrderUpdate, findOrder } from "./orders";
import { openTicket } from "./tickets";

/**
 * The domain tools' tenant-bound handle (node-library's `DomainServices`). Each call is one transaction as
 * flowdeck_app with `app.tenant_id` set, so RLS scopes every row; effectful calls claim their idempotency key
 * in that same transaction, so a retried or recovered step returns the first result and writes nothing.
 * `origin` is the calling run, which the engine always gives; without it (scripts, tests) a lead has none.
 */
export function createDomainServices(db: Database, tenantId: string, origin?: RunOrigin): DomainServices {
  const scope = { tenantId: requireTenantId(tenantId) };
  const tenant = scope.tenantId;

  return {
    searchKnowledgeBase: (query) => db.transaction((sql) => searchArticles(sql, tenant, query), scope),

    lookupOrder: (query) => db.transaction((sql) => findOrder(sql, tenant, query), scope),

    updateOrder: (update, idempotencyKey) =>
      db.transaction(
        (sql) =>
          withIdempotencyKey(sql, { tenantId: tenant, key: idempotencyKey, kind: "order_update" }, () =>
            applyOrderUpdate(sql, tenant, update),
          ),
        scope,
      ),

    captureLead: (lead, idempotencyKey) =>
      db.transaction(
        (sql) =>
          withIdempotencyKey(sql, { tenantId: tenant, key: idempotencyKey, kind: "lead_capture" }, () =>
            upsertLead(sql, tenant, lead, origin),
          ),
        scope,
      ),

    createTicket: (ticket, idempotencyKey) =>
      db.transaction(
        (sql) =>
          withIdempotencyKey(sql, { tenantId: tenant, key: idempotencyKey, kind: "ticket_create" }, () =>
            openTicket(sql, tenant, ticket),
          ),
        scope,
      ),
  };
}
