import type { Database } from "@flowdeck/runtime";
import type { RouteDefinition } from "../app/route-table";
import { customerRoutes } from "./customer-routes";
import { kbArticleRoutes } from "./kb-article-routes";
import { leadRoutes } from "./lead-routes";
import { orderRoutes } from "./order-routes";
import { ticketRoutes } from "./ticket-routes";

/** The seed's domain APIs: CRM customers and leads, orders, tickets and knowledge-base articles. */
export function domainRoutes(db: Database): RouteDefinition[] {
  return [
    ...customerRoutes(db),
    ...leadRoutes(db),
    ...orderRoutes(db),
    ...ticketRoutes(db),
    ...kbArticleRoutes(db),
  ];
}
