import type { Database } from "@flowdeck/runtime";
import type { RouteDefinition } from "../kit/route-table";
import { customerRoutes } from "./customer-routes";
import { kbArticleRoutes } from "./kb-article-routes";
import { leadRoutes } from "./lead-routes";
import { orderRoutes } from "./order-routes";
import { parseQuery } from "./query-params";
import { ticketRoutes } from "./ticket-routes";

/**
 * The seed's domain APIs: CRM customers and leads, orders, tickets and knowledge-base articles. List routes
 * check their own query parameters; every other route takes none, so any query string there is 400 FD340
 * rather than silently ignored.
 */
export function domainRoutes(db: Database): RouteDefinition[] {
  const routes = [
    ...customerRoutes(db),
    ...leadRoutes(db),
    ...orderRoutes(db),
    ...ticketRoutes(db),
    ...kbArticleRoutes(db),
  ];
  return routes.map((route) =>
    route.method === "get" && !route.path.includes("/:")
      ? route
      : {
          ...route,
          handler: async (req, res, next) => {
            parseQuery(req, {});
            return route.handler(req, res, next);
          },
        },
  );
}
