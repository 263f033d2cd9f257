import { describe, expect, it } from "vitest";
import type { EntityDeclaration } from "@flowdeck/schemas";
import { extractEntities, extractFromHistory } from "../../src/engine/entity-extraction";

// The demo shop's declarations (workflows/order_management.yaml) plus the other built-in kinds.
const SHOP: Record<string, EntityDeclaration> = {
  order_id: { type: "pattern", pattern: "(?i)\\bAO[- ]?\\d{5}\\b", case: "upper" },
  email: { type: "email" },
  phone: { type: "phone" },
  amount: { type: "amount" },
};

describe("entity extraction", () => {
  it("finds the demo shop's order numbers however they are written, in upper case", () => {
    expect(extractEntities(SHOP, "Where is my order AO-10489?").order_id).toBe("AO-10489");
    expect(extractEntities(SHOP, "order ao-10492 please").order_id).toBe("AO-10492");
    expect(extractEntities(SHOP, "it's AO 10485").order_id).toBe("AO 10485");
    expect(extractEntities(SHOP, "AO10493").order_id).toBe("AO10493");
  });

  it("finds nothing in an answer that holds no entity ('yes' is not an order number)", () => {
    for (const text of ["yes", "Yes, cancel it", "no", "AO-", "order 10489", "XAO-10489", "AO-104890"]) {
      expect(extractEntities(SHOP, text).order_id).toBeUndefined();
    }
    expect(extractEntities(SHOP, "yes")).toEqual({});
  });

  it("finds emails, lower-cased, without trailing punctuation", () => {
    expect(extractEntities(SHOP, "It's Daniel.Okafor@Example.com.").email).toBe("daniel.okafor@example.com");
    expect(extractEntities(SHOP, "mail me at a+b@shop.co.uk, thanks").email).toBe("a+b@shop.co.uk");
    expect(extractEntities(SHOP, "not an email: a@b").email).toBeUndefined();
  });

  it("finds phone numbers in international and national form, never an order number's digits", () => {
    expect(extractEntities(SHOP, "call me on +49 151 1234-5678").phone).toBe("+4915112345678");
    expect(extractEntities(SHOP, "my number is (503) 555-0199").phone).toBe("5035550199");
    expect(extractEntities(SHOP, "0044 20 7946 0958 is my office").phone).toBe("+442079460958");
    expect(extractEntities(SHOP, "Where is my order AO-10489?").phone).toBeUndefined();
    expect(extractEntities(SHOP, "I ordered 3 bottles on 12.05").phone).toBeUndefined();
  });

  it("finds amounts with their currency", () => {
    expect(extractEntities(SHOP, "I was charged $25.50 twice").amount).toEqual({
      value: 25.5,
      currency: "USD",
      text: "$25.50",
    });
    expect(extractEntities(SHOP, "a refund of 19,99 € please").amount).toMatchObject({
      value: 19.99,
      currency: "EUR",
    });
    expect(extractEntities(SHOP, "the total was 1,250.00 USD").amount).toMatchObject({
      value: 1250,
      currency: "USD",
    });
    expect(extractEntities(SHOP, "about 20 pounds").amount).toMatchObject({ value: 20, currency: "GBP" });
    expect(extractEntities(SHOP, "order AO-10489").amount).toBeUndefined();
  });

  it("keeps the latest value of each entity over a run's customer messages, ignoring the bot's", () => {
    const found = extractFromHistory(SHOP, [
      { role: "assistant", text: "Your number looks like AO-10492" },
      { role: "customer", text: "Where is AO-10489?" },
      { role: "customer", text: "sorry, I meant AO-10485, my email is x@example.com" },
      { role: "customer", text: "yes" },
    ]);
    expect(found).toEqual({ order_id: "AO-10485", email: "x@example.com" });
    expect(extractFromHistory(undefined, [{ role: "customer", text: "AO-10489" }])).toEqual({});
  });

  it("stays linear on hostile input", () => {
    const text = `${"1 ".repeat(20_000)}${"a".repeat(50_000)}@`;
    const found = extractEntities(SHOP, text);
    expect(found.order_id).toBeUndefined();
  });
});
