import { describe, expect, it } from "vitest";
import { cleanText, isoTimestamp, optionalText, toJson } from "../../src/store/sql-values";

describe("toJson", () => {
  it("turns BigInts into numbers when exact and into strings when not", () => {
    expect(toJson({ a: 1n, b: -(2n ** 53n) + 1n, c: 2n ** 53n, d: [0n] })).toBe(
      '{"a":1,"b":-9007199254740991,"c":"9007199254740992","d":[0]}',
    );
  });

  it("replaces NUL and lone surrogates, in keys and values, and leaves escaped backslashes alone", () => {
    const json = toJson({
      "k\u0000": "a\u0000b",
      s: "\ud800x\udc00",
      pair: "😀",
      literal: "\\u0000",
      both: "\\\u0000",
    });
    expect(JSON.parse(json)).toEqual({
      "k\ufffd": "a\ufffdb",
      s: "\ufffdx\ufffd",
      pair: "😀",
      literal: "\\u0000",
      both: "\\\ufffd",
    });
  });

  it("stores undefined as JSON null", () => {
    expect(toJson(undefined)).toBe("null");
  });
});

describe("text helpers", () => {
  it("cleans text for text columns", () => {
    expect(cleanText("a\u0000b\ud83d")).toBe("a\ufffdb\ufffd");
    expect(cleanText("ok 😀")).toBe("ok 😀");
  });

  it("treats blank optional text as absent", () => {
    expect(optionalText("  ")).toBeNull();
    expect(optionalText(undefined)).toBeNull();
    expect(optionalText(" Jane ")).toBe("Jane");
  });

  it("formats timestamps from either driver as ISO 8601", () => {
    expect(isoTimestamp(new Date(Date.UTC(2026, 10, 25, 8)))).toBe("2026-11-25T08:00:00.000Z");
    expect(isoTimestamp("2026-11-25 09:00:00+01")).toBe("2026-11-25T08:00:00.000Z");
    expect(() => isoTimestamp(42)).toThrow(TypeError);
  });
});
