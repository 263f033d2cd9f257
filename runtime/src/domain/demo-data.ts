import type { Database } from "../store/database";
import { toJson } from "../store/sql-values";
import { DEMO_KB_ARTICLES } from "./demo-kb-articles";
import { DEMO_CUSTOMERS, DEMO_ORDERS } from "./demo-shop";

export interface SeedReport {
  /** Rows inserted by this call; 0 for rows that already existed (seeding twice adds nothing). */
  readonly customers: number;
  readonly orders: number;
  readonly articles: number;
}

/**
 * Fills a tenant with the demo shop: customers, orders in every status and help-center articles. Runs as the
 * app role in the tenant's own transaction; every insert skips rows that exist (by email, order id, slug), so
 * it is safe to call on every start.
 */
export async function seedDemoData(db: Database, tenantId: string): Promise<SeedReport> {
  const orders = DEMO_ORDERS.map((order) => ({
    id: order.id,
    email: order.email,
    status: order.status,
    items: order.items,
    total: order.items.reduce((sum, item) => sum + item.unit_price * item.quantity, 0),
    currency: order.currency,
    address: order.address,
    placed_days_ago: order.placedDaysAgo,
    delivery_in_days: order.deliveryInDays,
    carrier: order.tracking?.carrier ?? null,
    tracking_number: order.tracking?.number ?? null,
    tracking_url: order.tracking
      ? `https://track.example.com/${order.tracking.carrier.toLowerCase()}/${order.tracking.number.replaceAll(" ", "")}`
      : null,
  }));

  return db.transaction(
    async (sql) => {
      const customers = await sql.query(
        `INSERT INTO customers (tenant_id, email, name, phone)
       SELECT $1, c.email, c.name, c.phone FROM jsonb_to_recordset($2::jsonb) AS c(email text, name text, phone text)
       ON CONFLICT (tenant_id, email) DO NOTHING`,
        [tenantId, toJson(DEMO_CUSTOMERS)],
      );
      const inserted = await sql.query(
        `INSERT INTO orders (tenant_id, id, customer_id, customer_email, status, items, total, currency,
                           shipping_address, estimated_delivery, carrier, tracking_number, tracking_url,
                           created_at, updated_at)
       SELECT $1, o.id, c.id, o.email, o.status, o.items, o.total, o.currency, o.address,
              current_date + o.delivery_in_days, o.carrier, o.tracking_number, o.tracking_url,
              now() - make_interval(days => o.placed_days_ago, hours => 3),
              now() - make_interval(days => greatest(o.placed_days_ago - 1, 0))
         FROM jsonb_to_recordset($2::jsonb) AS o(id text, email text, status text, items jsonb, total numeric,
              currency text, address text, placed_days_ago int, delivery_in_days int, carrier text,
              tracking_number text, tracking_url text)
         LEFT JOIN customers c ON c.tenant_id = $1 AND c.email = o.email
       ON CONFLICT (tenant_id, id) DO NOTHING`,
        [tenantId, toJson(orders)],
      );
      const articles = await sql.query(
        `INSERT INTO kb_articles (tenant_id, slug, title, body, category)
       SELECT $1, a.slug, a.title, a.body, a.category
         FROM jsonb_to_recordset($2::jsonb) AS a(slug text, title text, body text, category text)
       ON CONFLICT (tenant_id, slug) DO NOTHING`,
        [tenantId, toJson(DEMO_KB_ARTICLES)],
      );
      return { customers: customers.rowCount, orders: inserted.rowCount, articles: articles.rowCount };
    },
    { tenantId },
  );
}
