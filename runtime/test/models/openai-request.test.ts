import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/models/model-errors";
import { isReasoningModel, isStrictCompatible } from "../../src/models/openai-request";

describe("isStrictCompatible", () => {
  const closed = (properties: Record<string, unknown>) => ({
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });

  it("accepts closed objects all the way down", () => {
    expect(
      isStrictCompatible(
        closed({ a: { type: "string" }, list: { type: "array", items: closed({ b: { type: "number" } }) } }),
      ),
    ).toBe(true);
    expect(isStrictCompatible({ anyOf: [closed({}), { type: "string" }] })).toBe(true);
  });

  it("refuses open objects, optional properties and nested ones", () => {
    expect(
      isStrictCompatible({ type: "object", properties: { a: { type: "string" } }, required: ["a"] }),
    ).toBe(false);
    expect(isStrictCompatible({ ...closed({ a: { type: "string" } }), required: [] })).toBe(false);
    expect(isStrictCompatible(closed({ inner: { type: "object", properties: {} } }))).toBe(false);
    expect(isStrictCompatible({ ...closed({}), $defs: { item: { type: "object" } } })).toBe(false);
  });
});

describe("isReasoningModel", () => {
  it("knows the o-series and gpt-5 from chat models", () => {
    expect(
      ["o3", "o3-mini", "o4-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini"].map(isReasoningModel),
    ).toEqual(Array(6).fill(true));
    expect(
      ["gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "llama3", "omni-moderation"].map(isReasoningModel),
    ).toEqual(Array(5).fill(false));
  });
});

describe("redactSecrets", () => {
  it("removes the given secrets and anything shaped like a key", () => {
    const text = "key sk-proj-AbC123xyz789 and Bearer abcdef.ghijkl and my-own-secret-value";
    const clean = redactSecrets(text, ["my-own-secret-value"]);
    expect(clean).toBe("key [redacted] and [redacted] and [redacted]");
  });
});
