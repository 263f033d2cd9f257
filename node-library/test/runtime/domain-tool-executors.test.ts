import { describe, expect, it } from "vitest";
import type { KbHit, Order } from "../../src/runtime/index";
import { toolKbSearchExecutor } from "../../src/runtime/executors/tool-kb-search";
import { toolLeadCaptureExecutor } from "../../src/runtime/executors/tool-lead-capture";
import { toolOrderLookupExecutor } from "../../src/runtime/executors/tool-order-lookup";
import { toolOrderUpdateExecutor } from "../../src/runtime/executors/tool-order-update";
import { toolTicketCreateExecutor } from "../../src/runtime/executors/tool-ticket-create";
import { fakeToolContext } from "./fake-tool-context";

const ORDER: Order = {
  id: "AO-10492",
  status: "shipped",
  customer_email: "daniel.okafor@example.com",
  items: [{ sku: "RJ-200-M", name: "Ridgeline Waterproof Jacket (M)", quantity: 1 }],
  total: 189,
  currency: "USD",
  shipping_address: "88 Pine St, Seattle",
  estimated_delivery: "2026-11-27",
  tracking_url: "https://track.example.com/ups/1Z",
  created_at: "2026-11-22T10:00:00.000Z",
};

const HIT: KbHit = { id: "a1", title: "Reset your password", body: "Go to Sign in …", score: 1 };

describe("tool.kb_search executor", () => {
  it("searches for the rendered query with the node's settings", async () => {
    const { ctx, calls } = fakeToolContext(
      { searchKnowledgeBase: async () => [HIT] },
      { input: { message: "  how do I reset my password " } },
    );
    const result = await toolKbSearchExecutor(ctx, { limit: 2, min_score: 0.3, category: "troubleshooting" });
    expect(calls).toEqual([
      {
        method: "searchKnowledgeBase",
        args: [{ query: "how do I reset my password", limit: 2, minScore: 0.3, category: "troubleshooting" }],
      },
    ]);
    expect(result).toMatchObject({ output: { results: [HIT], found: true }, port: "out" });
    expect(result.effect).toBeUndefined();
  });

  it("defaults to the customer's message, 3 results and no minimum", async () => {
    const { ctx, calls } = fakeToolContext(
      { searchKnowledgeBase: async () => [] },
      { input: { message: "hi" } },
    );
    const result = await toolKbSearchExecutor(ctx, {});
    expect(calls[0]!.args[0]).toEqual({ query: "hi", limit: 3, minScore: 0 });
    expect(result.output).toEqual({ results: [], found: false });
  });

  it("finds nothing for an empty query without calling the service", async () => {
    const { ctx, calls } = fakeToolContext({}, { input: { message: "   " } });
    expect((await toolKbSearchExecutor(ctx, {})).output).toEqual({ results: [], found: false });
    expect(calls).toEqual([]);
  });
});

// What the order tools output by default: everything but the customer's email and address.
const { customer_email: _email, shipping_address: _address, ...PUBLIC_ORDER } = ORDER;

describe("tool.order_lookup executor", () => {
  it("looks the order up by the rendered number and email", async () => {
    const { ctx, calls } = fakeToolContext(
      { lookupOrder: async () => ORDER },
      { vars: { order_id: " AO-10492 ", email: " daniel.okafor@example.com" } },
    );
    const result = await toolOrderLookupExecutor(ctx, {
      order_id: "{{ vars.order_id }}",
      customer_email: "{{ vars.email }}",
    });
    expect(calls[0]!.args).toEqual([{ orderId: "AO-10492", customerEmail: "daniel.okafor@example.com" }]);
    expect(result).toMatchObject({
      output: { found: true, order: PUBLIC_ORDER },
      port: "out",
      details: { order_id_given: true, customer_email_given: true },
    });
    // The trace says which factors were given, never the email itself.
    expect(JSON.stringify(result.details)).not.toContain("daniel");
  });

  it("outputs the customer's email and address only when fields asks for them", async () => {
    const { ctx } = fakeToolContext({ lookupOrder: async () => ORDER });
    const asked = await toolOrderLookupExecutor(ctx, {
      order_id: "AO-10492",
      customer_email: "daniel.okafor@example.com",
      fields: ["id", "shipping_address"],
    });
    expect(asked.output).toEqual({
      found: true,
      order: { id: "AO-10492", shipping_address: "88 Pine St, Seattle" },
    });
    const plain = await toolOrderLookupExecutor(ctx, {
      order_id: "AO-10492",
      customer_email: "x@example.com",
    });
    expect(plain.output).toEqual({ found: true, order: PUBLIC_ORDER });
    expect(JSON.stringify(plain.output)).not.toMatch(/daniel|Pine/);
  });

  it("answers found: false with a null order when nothing matches", async () => {
    const { ctx } = fakeToolContext(
      { lookupOrder: async () => undefined },
      { input: { email: "x@example.com" } },
    );
    const result = await toolOrderLookupExecutor(ctx, {
      order_id: "AO-1",
      customer_email: "{{ input.email }}",
    });
    expect(result.output).toEqual({ found: false, order: null });
  });

  it.each([
    ["the email", { order_id: "AO-10492", customer_email: "{{ vars.missing }}" }],
    ["the number", { order_id: " ", customer_email: "daniel.okafor@example.com" }],
  ])("does not call the service when %s renders empty", async (_label, config) => {
    const { ctx, calls } = fakeToolContext({});
    const result = await toolOrderLookupExecutor(ctx, config);
    expect(result.output).toEqual({ found: false, order: null });
    expect(calls).toEqual([]);
  });
});

describe("tool.order_update executor", () => {
  it("passes the rendered change, the email and the step's idempotency key", async () => {
    const { ctx, calls } = fakeToolContext(
      { updateOrder: async () => ({ updated: true, order: { ...ORDER, status: "cancelled" } }) },
      { vars: { order_id: "AO-10485", request: "wrong size", email: "liam@example.com " } },
    );
    const result = await toolOrderUpdateExecutor(ctx, {
      order_id: "{{ vars.order_id }}",
      customer_email: "{{ vars.email }}",
      action: "cancel",
      reason: "Customer: {{ vars.request }}",
    });
    expect(calls[0]!.args).toEqual([
      {
        orderId: "AO-10485",
        customerEmail: "liam@example.com",
        action: "cancel",
        reason: "Customer: wrong size",
      },
      "run-1:main/tool#1",
    ]);
    expect(result).toMatchObject({
      output: { updated: true, order: { ...PUBLIC_ORDER, status: "cancelled" } },
      effect: true,
      port: "out",
    });
    expect(result.output).not.toHaveProperty("reason");
    expect(result.output).not.toHaveProperty("order.customer_email");
  });

  it("passes a refusal on as output, not as an error", async () => {
    const reason = "Order AO-10492 has already shipped, so it can no longer be cancelled.";
    const { ctx } = fakeToolContext({ updateOrder: async () => ({ updated: false, reason, order: ORDER }) });
    const result = await toolOrderUpdateExecutor(ctx, {
      order_id: "AO-10492",
      customer_email: "daniel.okafor@example.com",
      action: "cancel",
    });
    expect(result.output).toEqual({ updated: false, reason, order: PUBLIC_ORDER });
    expect(result.port).toBe("out");
  });

  it("sends the address and status only for the actions that use them, and a null order when none", async () => {
    const { ctx, calls } = fakeToolContext({
      updateOrder: async () => ({ updated: false, reason: "x", order: undefined }),
    });
    const result = await toolOrderUpdateExecutor(ctx, {
      order_id: "AO-1",
      customer_email: "a@example.com",
      action: "update_status",
      status: "on_hold",
    });
    expect(calls[0]!.args[0]).toEqual({
      orderId: "AO-1",
      customerEmail: "a@example.com",
      action: "update_status",
      status: "on_hold",
    });
    expect(result.output).toEqual({ updated: false, reason: "x", order: null });
  });
});

describe("tool.lead_capture executor", () => {
  it("captures the rendered lead, leaving out fields that render empty", async () => {
    const { ctx, calls } = fakeToolContext(
      { captureLead: async () => ({ leadId: "lead-1", created: true }) },
      { vars: { email: "jane@example.com", contact_name: "Jane", company: "" } },
    );
    const result = await toolLeadCaptureExecutor(ctx, {
      email: "{{ vars.email }}",
      name: "{{ vars.contact_name }}",
      company: "{{ vars.company }}",
      source: "pricing_chat",
    });
    expect(calls[0]!.args).toEqual([
      { email: "jane@example.com", name: "Jane", source: "pricing_chat" },
      "run-1:main/tool#1",
    ]);
    expect(result).toMatchObject({ output: { lead_id: "lead-1", created: true }, effect: true });
  });

  it("defaults the source to chat", async () => {
    const { ctx, calls } = fakeToolContext({
      captureLead: async () => ({ leadId: "lead-2", created: false }),
    });
    const result = await toolLeadCaptureExecutor(ctx, { email: "a@example.com" });
    expect(calls[0]!.args[0]).toEqual({ email: "a@example.com", source: "chat" });
    expect(result.output).toEqual({ lead_id: "lead-2", created: false });
  });

  it("lets a service error fail the step (the node's error port handles it)", async () => {
    const invalid = Object.assign(new Error("not a valid email address"), { code: "FD271" });
    const { ctx } = fakeToolContext({ captureLead: async () => Promise.reject(invalid) });
    await expect(toolLeadCaptureExecutor(ctx, { email: "nope" })).rejects.toMatchObject({ code: "FD271" });
  });
});

describe("tool.ticket_create executor", () => {
  it("opens a ticket from the rendered fields with the step's key", async () => {
    const { ctx, calls } = fakeToolContext(
      { createTicket: async () => ({ ticketId: "TCK-000123", created: true }) },
      { input: { message: "My app crashes", customer_email: "tom@example.com" } },
    );
    const result = await toolTicketCreateExecutor(ctx, {
      subject: "Technical issue: {{ input.message }}",
      description: "Problem: {{ input.message }}",
      priority: "high",
      category: "technical",
      customer_email: "{{ input.customer_email }}",
    });
    expect(calls[0]!.args).toEqual([
      {
        subject: "Technical issue: My app crashes",
        description: "Problem: My app crashes",
        priority: "high",
        category: "technical",
        customerEmail: "tom@example.com",
      },
      "run-1:main/tool#1",
    ]);
    expect(result).toMatchObject({
      output: { ticket_id: "TCK-000123", created: true },
      effect: true,
      port: "out",
    });
  });

  it("defaults the priority to medium and leaves out an email that renders empty", async () => {
    const { ctx, calls } = fakeToolContext({
      createTicket: async () => ({ ticketId: "TCK-000124", created: true }),
    });
    await toolTicketCreateExecutor(ctx, {
      subject: "S",
      description: "D",
      customer_email: "{{ input.customer_email }}",
    });
    expect(calls[0]!.args[0]).toEqual({ subject: "S", description: "D", priority: "medium" });
  });
});
