import type { DomainServices } from "@flowdeck/node-library/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDomainServices } from "../../src/domain/domain-services";
import { seedDemoData } from "../../src/domain/demo-data";
import { isStoreError } from "../../src/store/store-errors";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";

let keyCounter = 0;
/** A fresh `runId:stepId`-style key per call. */
function freshKey(): string {
  keyCounter += 1;
  return `${crypto.randomUUID()}:main/step#${keyCounter}`;
}

describe.each(TEST_DATABASE_KINDS)("domain services (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let services: DomainServices;
  let otherTenant: DomainServices;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantId = await testDb.createTenant("Acme Outfitters", { seed: true });
    services = createDomainServices(testDb.db, tenantId);
    otherTenant = createDomainServices(testDb.db, await testDb.createTenant("Globex", { seed: true }));
  });

  afterAll(async () => {
    await testDb?.close();
  });

  async function count(table: string, where = "true", params: unknown[] = []): Promise<number> {
    const { rows } = await testDb.db.transaction(
      (sql) => sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params),
      { tenantId },
    );
    return rows[0]!.n;
  }

  describe("seed data", () => {
    it("adds nothing when seeded again", async () => {
      expect(await seedDemoData(testDb.db, tenantId)).toEqual({ customers: 0, orders: 0, articles: 0 });
      expect(await count("customers")).toBe(8);
      expect(await count("orders")).toBe(14);
      expect(await count("kb_articles")).toBe(17);
      const statuses = await testDb.db.transaction(
        (sql) => sql.query<{ status: string }>("SELECT DISTINCT status FROM orders ORDER BY status"),
        { tenantId },
      );
      expect(statuses.rows.map((row) => row.status)).toEqual([
        "cancelled",
        "delivered",
        "on_hold",
        "pending",
        "processing",
        "shipped",
      ]);
    });
  });

  describe("order lookup", () => {
    const DANIEL = "daniel.okafor@example.com";
    it("finds an order by number and email with the fields the workflows read", async () => {
      const order = await services.lookupOrder({ orderId: "AO-10492", customerEmail: DANIEL });
      expect(order).toMatchObject({
        id: "AO-10492",
        status: "shipped",
        customer_email: DANIEL,
        currency: "USD",
        total: 338,
        carrier: "UPS",
      });
      expect(order!.items).toEqual([
        { sku: "RJ-200-M", name: "Ridgeline Waterproof Jacket (M)", quantity: 1, unit_price: 189 },
        { sku: "TB-410-42", name: "Trailhead Hiking Boots (EU 42)", quantity: 1, unit_price: 149 },
      ]);
      expect(order!.estimated_delivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(order!.tracking_url).toMatch(/^https:\/\/track\.example\.com\/ups\//);
      expect(Date.parse(order!.created_at)).toBeLessThan(Date.now());
    });

    it.each(["ao-10492", " #AO-10492 ", "AO10492", "my order number is ao 10492"])(
      "tolerates how customers type the number: %j",
      async (typed) => {
        expect(
          (await services.lookupOrder({ orderId: typed, customerEmail: " Daniel.Okafor@Example.com " }))?.id,
        ).toBe("AO-10492");
      },
    );

    // The number is printed on parcels and guessable: without its email it shows nothing, not even existence.
    it.each([
      ["no email", ""],
      ["a blank email", "   "],
      ["another customer's email", "maya.lindqvist@example.com"],
      ["a near miss", "daniel.okafor@example.co"],
    ])("finds nothing by number with %s", async (_label, customerEmail) => {
      expect(await services.lookupOrder({ orderId: "AO-10492", customerEmail })).toBeUndefined();
    });

    it("finds nothing by email alone", async () => {
      expect(
        await services.lookupOrder({ orderId: "", customerEmail: "maya.lindqvist@example.com" }),
      ).toBeUndefined();
    });

    it("answers undefined for unknown numbers, blank queries and other tenants' orders", async () => {
      expect(await services.lookupOrder({ orderId: "AO-99999", customerEmail: DANIEL })).toBeUndefined();
      expect(await services.lookupOrder({ orderId: "  ", customerEmail: DANIEL })).toBeUndefined();
      const mine = await services.updateOrder(
        {
          orderId: "AO-10493",
          customerEmail: "hana.sato@example.com",
          action: "update_status",
          status: "on_hold",
        },
        freshKey(),
      );
      expect(mine.updated).toBe(true);
      expect(
        (await otherTenant.lookupOrder({ orderId: "AO-10493", customerEmail: "hana.sato@example.com" }))
          ?.status,
      ).toBe("pending");
    });
  });

  describe("order update", () => {
    it("cancels a pending order and records why in its history", async () => {
      const result = await services.updateOrder(
        {
          orderId: "ao-10485",
          customerEmail: "liam.oconnor@example.com",
          action: "cancel",
          reason: "Ordered the wrong tent",
        },
        freshKey(),
      );
      expect(result).toMatchObject({ updated: true, order: { id: "AO-10485", status: "cancelled" } });
      expect(result.reason).toBeUndefined();
      const history = await testDb.db.transaction(
        (sql) => sql.query<{ history: unknown[] }>("SELECT history FROM orders WHERE id = 'AO-10485'"),
        { tenantId },
      );
      expect(history.rows[0]!.history).toEqual([
        expect.objectContaining({
          action: "cancel",
          from: "pending",
          to: "cancelled",
          reason: "Ordered the wrong tent",
        }),
      ]);
    });

    it("refuses to cancel a shipped order, with a reason and the unchanged order", async () => {
      const result = await services.updateOrder(
        { orderId: "AO-10492", customerEmail: "daniel.okafor@example.com", action: "cancel" },
        freshKey(),
      );
      expect(result.updated).toBe(false);
      expect(result.reason).toMatch(/already shipped/);
      expect(result.order).toMatchObject({ id: "AO-10492", status: "shipped" });
    });

    it("changes the address only before shipping", async () => {
      const address = "Aisha Rahman, 55 Water St, Brooklyn, NY 11201, USA";
      const before = await services.updateOrder(
        { orderId: "AO-10484", customerEmail: "aisha.rahman@example.com", action: "change_address", address },
        freshKey(),
      );
      expect(before).toMatchObject({
        updated: true,
        order: { status: "processing", shipping_address: address },
      });
      const after = await services.updateOrder(
        { orderId: "AO-10483", customerEmail: "tom.becker@example.com", action: "change_address", address },
        freshKey(),
      );
      expect(after.updated).toBe(false);
      expect(after.reason).toMatch(/shipped/);
      expect(after.order?.shipping_address).not.toBe(address);
    });

    it("registers a return only for a delivered order", async () => {
      const ok = await services.updateOrder(
        {
          orderId: "AO-10482",
          customerEmail: "sofia.marquez@example.com",
          action: "request_return",
          reason: "Wrong size",
        },
        freshKey(),
      );
      expect(ok).toMatchObject({ updated: true, order: { status: "return_requested" } });
      const again = await services.updateOrder(
        { orderId: "AO-10482", customerEmail: "sofia.marquez@example.com", action: "request_return" },
        freshKey(),
      );
      expect(again).toMatchObject({ updated: false, reason: expect.stringMatching(/already registered/) });
      const early = await services.updateOrder(
        { orderId: "AO-10487", customerEmail: "jonas.weber@example.com", action: "request_return" },
        freshKey(),
      );
      expect(early).toMatchObject({ updated: false, order: { status: "shipped" } });
    });

    it("answers not found for an unknown order instead of failing", async () => {
      const result = await services.updateOrder(
        { orderId: "AO-00001", customerEmail: "nobody@example.com", action: "cancel" },
        freshKey(),
      );
      expect(result).toEqual({
        updated: false,
        reason: "No order with the number AO-00001 was found for that email address.",
      });
    });

    it("changes nothing without the order's email, answering as for an unknown number", async () => {
      for (const customerEmail of ["", "maya.lindqvist@example.com"]) {
        const result = await services.updateOrder(
          { orderId: "AO-10493", customerEmail, action: "cancel", reason: "injected" },
          freshKey(),
        );
        expect(result).toEqual({
          updated: false,
          reason: "No order with the number AO-10493 was found for that email address.",
        });
      }
      const order = await services.lookupOrder({
        orderId: "AO-10493",
        customerEmail: "hana.sato@example.com",
      });
      expect(order?.status).not.toBe("cancelled");
    });

    it("applies a change once per idempotency key and returns the first result to a retry", async () => {
      const key = freshKey();
      const first = await services.updateOrder(
        {
          orderId: "AO-10489",
          customerEmail: "daniel.okafor@example.com",
          action: "cancel",
          reason: "first",
        },
        key,
      );
      const retry = await services.updateOrder(
        {
          orderId: "AO-10489",
          customerEmail: "daniel.okafor@example.com",
          action: "cancel",
          reason: "retry",
        },
        key,
      );
      expect(first).toMatchObject({ updated: true, order: { status: "cancelled" } });
      expect(retry).toEqual(first);
      const history = await testDb.db.transaction(
        (sql) =>
          sql.query<{ n: number }>(
            "SELECT jsonb_array_length(history) AS n FROM orders WHERE id = 'AO-10489'",
          ),
        { tenantId },
      );
      expect(history.rows[0]!.n).toBe(1);
      expect(await count("idempotency_keys", "key = $1", [key])).toBe(1);
    });
  });

  describe("leads", () => {
    it("creates a lead, then updates it by email without losing fields", async () => {
      const created = await services.captureLead(
        {
          email: " Jane.Doe@Example.com ",
          name: "Jane Doe",
          company: "Northwind",
          source: "pricing_chat",
          notes: "Wants SSO",
        },
        freshKey(),
      );
      expect(created.created).toBe(true);
      const updated = await services.captureLead(
        { email: "jane.doe@example.com", phone: "+1 555 0100", source: "chat", notes: "200 seats" },
        freshKey(),
      );
      expect(updated).toEqual({ leadId: created.leadId, created: false });
      const { rows } = await testDb.db.transaction(
        (sql) =>
          sql.query("SELECT email, name, company, phone, source, notes FROM leads WHERE id = $1", [
            created.leadId,
          ]),
        { tenantId },
      );
      expect(rows[0]).toEqual({
        email: "jane.doe@example.com",
        name: "Jane Doe",
        company: "Northwind",
        phone: "+1 555 0100",
        source: "pricing_chat",
        notes: "Wants SSO\n\n200 seats",
      });
    });

    it("writes one row for a key used twice and returns the same result", async () => {
      const key = freshKey();
      const lead = { email: "once@example.com", name: "Once", source: "chat" };
      const first = await services.captureLead(lead, key);
      const second = await services.captureLead({ ...lead, notes: "retry" }, key);
      expect(second).toEqual(first);
      expect(first.created).toBe(true);
      expect(await count("leads", "email = 'once@example.com' AND notes IS NULL")).toBe(1);
    });

    it.each([
      ["", "FD270"],
      ["not an email", "FD271"],
      ["a@b", "FD271"],
    ])("refuses the email %j with %s and keeps the key free for a retry", async (email, code) => {
      const key = freshKey();
      const error = await services
        .captureLead({ email, source: "chat" }, key)
        .catch((reason: unknown) => reason);
      expect(isStoreError(error, code as "FD270" | "FD271")).toBe(true);
      expect(await count("idempotency_keys", "key = $1", [key])).toBe(0);
    });
  });

  describe("tickets", () => {
    it("numbers tickets per tenant: TCK-000001, TCK-000002 …", async () => {
      const first = await services.createTicket(
        {
          subject: "Zip broke",
          description: "The zip broke on day one.",
          priority: "high",
          category: "complaint",
        },
        freshKey(),
      );
      const second = await services.createTicket(
        {
          subject: "Sole peeling",
          description: "Left boot sole is peeling.",
          priority: "medium",
          customerEmail: "Tom.Becker@example.com",
        },
        freshKey(),
      );
      expect(first).toEqual({ ticketId: "TCK-000001", created: true });
      expect(second).toEqual({ ticketId: "TCK-000002", created: true });
      const elsewhere = await otherTenant.createTicket(
        { subject: "Hello", description: "Another shop's first ticket.", priority: "low" },
        freshKey(),
      );
      expect(elsewhere.ticketId).toBe("TCK-000001");
      const { rows } = await testDb.db.transaction(
        (sql) => sql.query("SELECT customer_email, status FROM tickets WHERE id = 'TCK-000002'"),
        { tenantId },
      );
      expect(rows[0]).toEqual({ customer_email: "tom.becker@example.com", status: "open" });
    });

    it("opens one ticket for concurrent calls with the same key", async () => {
      const key = freshKey();
      const before = await count("tickets");
      const ticket = {
        subject: "Refund missing",
        description: "No refund after two weeks.",
        priority: "urgent" as const,
      };
      const results = await Promise.all([1, 2, 3].map(() => services.createTicket(ticket, key)));
      expect(new Set(results.map((result) => result.ticketId)).size).toBe(1);
      expect(await count("tickets")).toBe(before + 1);
      expect(await count("idempotency_keys", "key = $1", [key])).toBe(1);
    });

    it("refuses a key that another kind of operation already used (FD264)", async () => {
      const key = freshKey();
      await services.createTicket({ subject: "A", description: "B", priority: "low" }, key);
      const error = await services
        .captureLead({ email: "x@example.com", source: "chat" }, key)
        .catch((reason: unknown) => reason);
      expect(isStoreError(error, "FD264")).toBe(true);
    });

    it("shortens an overlong subject instead of failing, and refuses a blank one (FD270)", async () => {
      const long = await services.createTicket(
        { subject: "x".repeat(1000), description: "Long subject", priority: "low" },
        freshKey(),
      );
      const { rows } = await testDb.db.transaction(
        (sql) =>
          sql.query<{ n: number }>("SELECT length(subject) AS n FROM tickets WHERE id = $1", [long.ticketId]),
        { tenantId },
      );
      expect(rows[0]!.n).toBe(300);
      const error = await services
        .createTicket({ subject: "  ", description: "x", priority: "low" }, freshKey())
        .catch((reason: unknown) => reason);
      expect(isStoreError(error, "FD270")).toBe(true);
    });
  });
});
