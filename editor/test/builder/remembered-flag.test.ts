// The problems panel's collapsed state, remembered per browser (use-remembered-flag.ts): read back as stored,
// and a browser whose storage is missing or refuses only forgets the choice.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readRememberedFlag, writeRememberedFlag } from "../../src/builder/use-remembered-flag";
import { memoryStorage } from "../support/memory-storage";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a remembered flag", () => {
  it("reads back what was written, and the fallback when nothing was", () => {
    vi.stubGlobal("localStorage", memoryStorage());
    expect(readRememberedFlag("k", false)).toBe(false);
    expect(readRememberedFlag("k", true)).toBe(true);
    writeRememberedFlag("k", true);
    expect(readRememberedFlag("k", false)).toBe(true);
    writeRememberedFlag("k", false);
    expect(readRememberedFlag("k", true)).toBe(false);
    localStorage.setItem("k", "maybe");
    expect(readRememberedFlag("k", true)).toBe(true);
  });

  it("falls back without throwing when storage is missing or refuses", () => {
    vi.stubGlobal("localStorage", undefined);
    expect(readRememberedFlag("k", true)).toBe(true);
    expect(() => writeRememberedFlag("k", false)).not.toThrow();
    const refusing = memoryStorage();
    refusing.getItem = () => {
      throw new Error("SecurityError");
    };
    refusing.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    vi.stubGlobal("localStorage", refusing);
    expect(readRememberedFlag("k", false)).toBe(false);
    expect(() => writeRememberedFlag("k", true)).not.toThrow();
  });
});
