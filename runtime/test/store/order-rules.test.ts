import { describe, expect, it } from "vitest";
import { orderIdCandidates } from "../../src/domain/order-ids";
import { decideOrderUpdate, ORDER_STATUSES, type OrderChange } from "../../src/domain/order-rules";

const order = (status: string) => ({ id: "AO-1", status, shipping_address: "Old St 1" });
const allowed = (status: string, update: OrderChange) => decideOrderUpdate(order(status), update).allowed;

describe("decideOrderUpdate", () => {
  const cancel: OrderChange = { orderId: "AO-1", action: "cancel" };
  const move: OrderChange = { orderId: "AO-1", action: "change_address", address: "New St 2, Town" };
  const giveBack: OrderChange = { orderId: "AO-1", action: "request_return" };

  it.each(ORDER_STATUSES)("applies the shop's rules to a %s order", (status) => {
    const beforeShipping = ["pending", "processing", "on_hold"].includes(status);
    expect(allowed(status, cancel)).toBe(beforeShipping);
    expect(allowed(status, move)).toBe(beforeShipping);
    expect(allowed(status, giveBack)).toBe(status === "delivered");
  });

  it("says why, in words for the customer", () => {
    expect(decideOrderUpdate(order("shipped"), cancel)).toEqual({
      allowed: false,
      reason:
        "Order AO-1 has already shipped, so it can no longer be cancelled. It can be returned once it arrives.",
    });
    expect(decideOrderUpdate(order("return_requested"), cancel)).toEqual({
      allowed: false,
      reason: "Order AO-1 is return requested, so it cannot be cancelled.",
    });
  });

  it("moves statuses and addresses as asked", () => {
    expect(decideOrderUpdate(order("pending"), cancel)).toEqual({
      allowed: true,
      status: "cancelled",
      shippingAddress: "Old St 1",
    });
    expect(decideOrderUpdate(order("processing"), move)).toEqual({
      allowed: true,
      status: "processing",
      shippingAddress: "New St 2, Town",
    });
    expect(decideOrderUpdate(order("delivered"), giveBack)).toMatchObject({
      allowed: true,
      status: "return_requested",
    });
  });

  it("needs an address to change the address", () => {
    expect(decideOrderUpdate(order("pending"), { ...move, address: "   " })).toEqual({
      allowed: false,
      reason: "No new delivery address was given.",
    });
  });

  it("sets any known status, but not an unknown one or the current one", () => {
    const set = (status: string) =>
      decideOrderUpdate(order("pending"), { orderId: "AO-1", action: "update_status", status });
    expect(set("on_hold")).toMatchObject({ allowed: true, status: "on_hold" });
    expect(set("lost_in_space")).toMatchObject({ allowed: false });
    expect(set("pending")).toMatchObject({ allowed: false, reason: "Order AO-1 is already pending." });
  });

  it("refuses an action outside the schema instead of throwing", () => {
    const update = { orderId: "AO-1", action: "explode" } as unknown as OrderChange;
    expect(decideOrderUpdate(order("pending"), update)).toMatchObject({ allowed: false });
  });
});

describe("orderIdCandidates", () => {
  it.each([
    ["AO-10492", ["AO-10492"]],
    ["  #ao-10492", ["AO-10492"]],
    ["ao10492", ["AO10492", "AO-10492"]],
    ["It's AO 10492, thanks", ["IT'S AO 10492, THANKS", "AO-10492"]],
    ["ORD_2024_77", ["ORD_2024_77"]],
    ["   ", []],
  ])("%j → %j", (typed, expected) => {
    expect(orderIdCandidates(typed)).toEqual(expected);
  });
});
