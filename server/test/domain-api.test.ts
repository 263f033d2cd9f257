import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { getRouteTable } from "../src/kit/route-table";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const DOMAIN_PATH = /^\/(crm|orders|tickets|kb)\b/;

/** A new member of the owner's tenant with `role`, through an invitation; returns their access token. */
async function member(server: TestServer, ownerToken: string, role: "admin" | "editor" | "viewer") {
  const email = `${role}-${randomUUID()}@example.com`;
  const invited = await server.request("POST", "/invitations", { token: ownerToken, body: { email, role } });
  const accepted = await server.request("POST", "/invitations/accept", {
    body: { token: invited.body.token, password: "a fine new password" },
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return accepted.body.accessToken as string;
}

describe.each(TEST_DATABASE_KINDS)("domain APIs on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let editor: string;
  let viewer: string;
  let other: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Shop" })).body;
    other = (await registerAccount(server, { tenantName: "Other shop" })).body;
    editor = await member(server, owner.accessToken, "editor");
    viewer = await member(server, owner.accessToken, "viewer");
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const call = (method: string, path: string, body?: unknown, token = editor) =>
    server.request(method, path, { token, ...(body === undefined ? {} : { body }) });

  /** The tenant's audit rows for one target, oldest first, read as the owner of the schema. */
  async function auditOf(
    targetId: string,
  ): Promise<Array<{ action: string; actor_id: string; detail: JsonBody }>> {
    return server.testDb.db.ownerTransaction(async (sql) => {
      const { rows } = await sql.query<{ action: string; actor_id: string; detail: JsonBody }>(
        "SELECT action, actor_id::text AS actor_id, detail FROM audit_log WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq",
        [owner.tenant.id, targetId],
      );
      return rows;
    });
  }

  it("customers: create, duplicate email 409, get, filter, page, patch, delete — each write audited", async () => {
    const created = await call("POST", "/crm/customers", {
      email: "Maya@Example.com",
      name: "Maya",
      phone: "+1 503",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: "maya@example.com", name: "Maya", phone: "+1 503" });
    expect(typeof created.body.createdAt).toBe("string");
    const id = created.body.id as string;

    const duplicate = await call("POST", "/crm/customers", { email: "MAYA@example.com" });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, "FD342"]);
    const unknownField = await call("POST", "/crm/customers", {
      email: "x@example.com",
      tenantId: other.tenant.id,
    });
    expect([unknownField.status, unknownField.body.error.code]).toEqual([400, "FD300"]);

    for (const email of ["b@example.com", "c@example.com", "d@example.com", "e@example.com"]) {
      expect((await call("POST", "/crm/customers", { email, name: `Name ${email[0]}` })).status).toBe(201);
    }
    expect((await call("GET", `/crm/customers/${id}`, undefined, viewer)).body.email).toBe(
      "maya@example.com",
    );
    const byEmail = await call("GET", "/crm/customers?email=MAYA@example.com", undefined, viewer);
    expect(byEmail.body.items.map((c: JsonBody) => c.id)).toEqual([id]);
    const byQ = await call("GET", "/crm/customers?q=name%20c");
    expect(byQ.body.items.map((c: JsonBody) => c.email)).toEqual(["c@example.com"]);

    // Paging: pages of 2 visit all 5 customers once, newest first, and the last page says so.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: JsonBody = await call("GET", `/crm/customers?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: JsonBody) => c.email));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      "e@example.com",
      "d@example.com",
      "c@example.com",
      "b@example.com",
      "maya@example.com",
    ]);

    const patched = await call("PATCH", `/crm/customers/${id}`, { phone: null, name: "Maya Lindqvist" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ phone: null, name: "Maya Lindqvist", email: "maya@example.com" });
    const clash = await call("PATCH", `/crm/customers/${id}`, { email: "b@example.com" });
    expect([clash.status, clash.body.error.code]).toEqual([409, "FD342"]);
    expect((await call("PATCH", `/crm/customers/${id}`, {})).status).toBe(400);

    expect((await call("DELETE", `/crm/customers/${id}`)).status).toBe(204);
    const gone = await call("GET", `/crm/customers/${id}`);
    expect([gone.status, gone.body.error.code]).toEqual([404, "FD322"]);
    expect((await call("DELETE", `/crm/customers/${id}`)).status).toBe(404);

    const editorId = (await call("GET", "/auth/me")).body.user.id;
    expect(await auditOf(id)).toEqual([
      { action: "customer.create", actor_id: editorId, detail: {} },
      { action: "customer.update", actor_id: editorId, detail: { fields: ["name", "phone"] } },
      { action: "customer.delete", actor_id: editorId, detail: {} },
    ]);
  });

  it("refuses unknown query parameters and bad values, naming the parameter", async () => {
    const unknown = await call("GET", "/crm/leads?stauts=new");
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "FD340"]);
    expect(unknown.body.error.message).toContain('"stauts"');
    expect(unknown.body.error.hint).toContain("status");
    for (const [path, name] of [
      ["/crm/leads?status=maybe", "status"],
      ["/orders?limit=0", "limit"],
      ["/orders?limit=201", "limit"],
      ["/tickets?cursor=nonsense", "cursor"],
      ["/kb/articles?published=yes", "published"],
      ["/crm/customers?email=not-an-email", "email"],
      ["/tickets?status=open&status=closed", "status"],
    ] as const) {
      const res = await call("GET", path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, "FD341"]);
      expect(res.body.error.message).toContain(`"${name}"`);
    }
  });

  it("takes no query parameters on routes that name one row or write", async () => {
    const res = await call("GET", "/tickets/TCK-000001?expand=all");
    expect([res.status, res.body.error.code]).toEqual([400, "FD340"]);
    expect(res.body.error.hint).toBe("This route takes no query parameters.");
    const write = await call("POST", "/crm/customers?dryRun=true", { email: "dry@example.com" });
    expect([write.status, write.body.error.code]).toEqual([400, "FD340"]);
    expect((await call("GET", "/crm/customers?email=dry@example.com")).body.items).toEqual([]);
  });

  it("leads: defaults, funnel moves with from/to in the audit, status filter", async () => {
    const created = await call("POST", "/crm/leads", {
      email: "jordan@example.com",
      company: "Trailhead Co",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "new",
      source: "manual",
      company: "Trailhead Co",
      notes: null,
      // Entered by staff: no run captured it, so lead analytics count it whatever `testRuns` says.
      runId: null,
      channel: null,
    });
    await call("POST", "/crm/leads", { email: "kim@example.com", status: "won", source: "chat" });
    const moved = await call("PATCH", `/crm/leads/${created.body.id}`, {
      status: "qualified",
      notes: "Wants 40 jackets",
    });
    expect(moved.body).toMatchObject({ status: "qualified", notes: "Wants 40 jackets" });
    const qualified = await call("GET", "/crm/leads?status=qualified", undefined, viewer);
    expect(qualified.body.items.map((l: JsonBody) => l.email)).toEqual(["jordan@example.com"]);
    expect((await call("GET", "/crm/leads?source=chat")).body.items.map((l: JsonBody) => l.email)).toEqual([
      "kim@example.com",
    ]);
    expect((await auditOf(created.body.id)).map((row) => [row.action, row.detail])).toEqual([
      ["lead.create", { status: "new" }],
      ["lead.update", { fields: ["notes", "status"], from: "new", to: "qualified" }],
    ]);
    expect((await call("DELETE", `/crm/leads/${created.body.id}`)).status).toBe(204);
  });

  it("orders: total from items, customer link, case-insensitive number, history, cancel only before shipping", async () => {
    const customer = (await call("POST", "/crm/customers", { email: "tom@example.com", name: "Tom" })).body;
    const created = await call("POST", "/orders", {
      id: "ao-30001",
      customerEmail: "Tom@Example.com",
      items: [
        { sku: "RJ-200-M", name: "Jacket", quantity: 1, unit_price: 189 },
        { sku: "WS-3PK-M", name: "Socks", quantity: 2, unit_price: 24.5 },
      ],
      shippingAddress: "415 Nicollet Mall, Minneapolis",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: "AO-30001",
      customerId: customer.id,
      customerEmail: "tom@example.com",
      status: "pending",
      total: 238,
      currency: "USD",
      history: [],
      estimatedDelivery: null,
    });
    const again = await call("POST", "/orders", { ...created.body, id: "AO-30001", history: undefined });
    expect(again.status).toBe(400); // unknown fields (customerId, createdAt …) are refused before anything else
    const duplicate = await call("POST", "/orders", {
      id: "AO-30001",
      customerEmail: "tom@example.com",
      items: [],
      shippingAddress: "x",
    });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, "FD342"]);

    expect((await call("GET", "/orders/ao-30001", undefined, viewer)).body.id).toBe("AO-30001");
    const shipped = await call("PATCH", "/orders/AO-30001", {
      status: "shipped",
      carrier: "UPS",
      trackingNumber: "1Z999",
      estimatedDelivery: "2026-12-03",
      reason: "Left the warehouse",
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: "shipped",
      carrier: "UPS",
      estimatedDelivery: "2026-12-03",
    });
    expect(shipped.body.history).toHaveLength(1);
    expect(shipped.body.history[0]).toMatchObject({
      action: "staff_update",
      from: "pending",
      to: "shipped",
      reason: "Left the warehouse",
    });
    const refused = await call("POST", "/orders/AO-30001/cancel", {});
    expect([refused.status, refused.body.error.code]).toEqual([409, "FD343"]);
    expect(refused.body.error.message).toContain("shipped");

    await call("POST", "/orders", {
      id: "AO-30002",
      customerEmail: "x@example.com",
      items: [],
      total: 12.345,
      shippingAddress: "y",
    });
    const cancelled = await call("POST", "/orders/ao-30002/cancel", { reason: "Customer called" });
    expect(cancelled.body).toMatchObject({ status: "cancelled", total: 12.35, customerId: null });
    expect(cancelled.body.history[0]).toMatchObject({ action: "cancel", from: "pending", to: "cancelled" });
    expect((await call("GET", "/orders?status=cancelled")).body.items.map((o: JsonBody) => o.id)).toEqual([
      "AO-30002",
    ]);
    expect((await call("GET", "/orders?q=30001")).body.items.map((o: JsonBody) => o.id)).toEqual([
      "AO-30001",
    ]);
    expect((await auditOf("AO-30001")).map((row) => [row.action, row.detail])).toEqual([
      ["order.create", { status: "pending" }],
      [
        "order.update",
        {
          fields: ["status", "estimatedDelivery", "carrier", "trackingNumber"],
          from: "pending",
          to: "shipped",
        },
      ],
    ]);
    expect((await auditOf("AO-30002")).map((row) => row.action)).toEqual(["order.create", "order.cancel"]);
    // Orders are never deleted through the API.
    expect((await call("DELETE", "/orders/AO-30002")).status).toBe(404);
  });

  it("tickets: numbered per tenant, patched, closed once", async () => {
    const first = await call("POST", "/tickets", { subject: " Damaged parcel ", description: "Torn sleeve" });
    const second = await call("POST", "/tickets", {
      subject: "Refund",
      description: "Where is it?",
      priority: "urgent",
    });
    expect(first.body).toMatchObject({
      id: "TCK-000001",
      number: 1,
      subject: "Damaged parcel",
      status: "open",
      priority: "medium",
    });
    expect(second.body).toMatchObject({ id: "TCK-000002", number: 2, priority: "urgent" });
    const otherTicket = await call("POST", "/tickets", { subject: "A", description: "B" }, other.accessToken);
    expect(otherTicket.body.id).toBe("TCK-000001"); // numbering is per tenant
    const blank = await call("POST", "/tickets", { subject: "   ", description: "x" });
    expect(blank.status).toBe(400);

    const patched = await call("PATCH", "/tickets/tck-000001", {
      status: "pending",
      customerEmail: "Maya@Example.com",
    });
    expect(patched.body).toMatchObject({ status: "pending", customerEmail: "maya@example.com" });
    expect((await call("POST", "/tickets/TCK-000001/close")).body.status).toBe("closed");
    expect((await call("POST", "/tickets/TCK-000001/close")).body.status).toBe("closed");
    expect(
      (await call("GET", "/tickets?status=closed", undefined, viewer)).body.items.map((t: JsonBody) => t.id),
    ).toEqual(["TCK-000001"]);
    expect((await auditOf("TCK-000001")).map((row) => [row.action, row.detail])).toEqual([
      ["ticket.create", { priority: "medium" }],
      ["ticket.update", { fields: ["status", "customerEmail"], from: "open", to: "pending" }],
      ["ticket.close", { from: "pending", to: "closed" }],
    ]);
  });

  it("kb articles: slug from the title, full-text q, publish filter, unique slug, delete", async () => {
    const created = await call("POST", "/kb/articles", {
      title: "Gift wrapping & Notes",
      body: "Add gift wrapping at checkout; the receipt shows no prices.",
      category: "orders",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "gift-wrapping-notes", published: true });
    await call("POST", "/kb/articles", {
      title: "Returns",
      body: "Return within 30 days.",
      category: "returns",
      published: false,
    });
    const duplicate = await call("POST", "/kb/articles", {
      title: "Gift wrapping notes",
      body: "x",
      category: "orders",
    });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, "FD342"]);

    // "prices" finds "price" forms through the english full-text configuration.
    expect(
      (await call("GET", "/kb/articles?q=price", undefined, viewer)).body.items.map((a: JsonBody) => a.slug),
    ).toEqual(["gift-wrapping-notes"]);
    expect(
      (await call("GET", "/kb/articles?published=false")).body.items.map((a: JsonBody) => a.slug),
    ).toEqual(["returns"]);
    const unpublished = await call("PATCH", `/kb/articles/${created.body.id}`, {
      published: false,
      title: "Gift wrap",
    });
    expect(unpublished.body).toMatchObject({
      published: false,
      title: "Gift wrap",
      slug: "gift-wrapping-notes",
    });
    expect((await call("DELETE", `/kb/articles/${created.body.id}`)).status).toBe(204);
    expect((await call("GET", `/kb/articles/${created.body.id}`)).status).toBe(404);
  });

  it("lets viewers read and refuses every domain write with 403 FD313", async () => {
    const writes = getRouteTable(server.app).filter(
      (route) => DOMAIN_PATH.test(route.path) && route.method !== "get",
    );
    expect(writes.length).toBeGreaterThanOrEqual(13);
    for (const route of writes) {
      expect(route.role).toBe("editor");
      const path = route.path.replace(":id", "AO-30001");
      const res = await server.request(route.method.toUpperCase(), path, {
        token: viewer,
        body: route.example ?? {},
      });
      expect([`${route.method} ${route.path}`, res.status, res.body.error.code]).toEqual([
        `${route.method} ${route.path}`,
        403,
        "FD313",
      ]);
    }
    const reads = getRouteTable(server.app).filter(
      (route) => DOMAIN_PATH.test(route.path) && route.method === "get",
    );
    for (const route of reads.filter((r) => !r.path.includes(":"))) {
      expect((await server.request("GET", route.path, { token: viewer })).status).toBe(200);
    }
  });

  it("shows another tenant none of these rows", async () => {
    for (const path of ["/crm/customers", "/crm/leads", "/orders", "/kb/articles"]) {
      const res = await call("GET", path, undefined, other.accessToken);
      expect([path, res.body.items]).toEqual([path, []]);
    }
    expect((await call("GET", "/tickets", undefined, other.accessToken)).body.items).toHaveLength(1);
    expect((await call("GET", "/orders/AO-30001", undefined, other.accessToken)).status).toBe(404);
    expect((await call("PATCH", "/tickets/TCK-000002", { status: "closed" }, other.accessToken)).status).toBe(
      404,
    );
    expect((await call("GET", "/tickets/TCK-000002")).body.status).toBe("open");
  });
});
