// The inbox's Send stays disabled for text the server refuses as blank, and enabled for all it takes: both read
// "blank" the same way (trim() here, NON_BLANK_PATTERN on the server's inbox bodies).
import { NON_BLANK_PATTERN } from "@flowdeck/schemas";
import { describe, expect, it } from "vitest";
import { sendableText } from "../../src/inbox/reply-text";

const SAMPLES = [
  "",
  " ",
  "   \n\t  ",
  "\u00a0",
  "\u2003\u3000",
  "\ufeff",
  "\r\n",
  "Hi",
  "  Hi  ",
  ".",
  "\u200b",
];

describe("sendableText", () => {
  it("has nothing to send for spaces, tabs and line breaks only", () => {
    for (const blank of ["", " ", "   \n\t  ", "\u00a0\u2003"]) expect(sendableText(blank)).toBeUndefined();
  });

  it("sends the text without its surrounding spaces", () => {
    expect(sendableText("  Hi, Sam here.\n")).toBe("Hi, Sam here.");
  });

  it.each(SAMPLES)("agrees with the server's not-blank rule on %j", (sample) => {
    const serverTakes = new RegExp(NON_BLANK_PATTERN, "u").test(sample);
    expect(sendableText(sample) !== undefined).toBe(serverTakes);
  });
});
