import { describe, expect, it } from "vitest";
import { redactUrl, redactUrlsIn } from "../src/audit/url-redaction";

// Admins read the audit log; a receiver's token in a URL must not be there. Host and path stay, since they say
// where customers' data goes.
describe("URLs as the audit log keeps them", () => {
  it.each([
    ["https://hooks.example.com/in?token=s3cr3t", "https://hooks.example.com/in?token=REDACTED"],
    [
      "https://hooks.example.com:8443/a/b?team=ops&sig=abc%3D&empty=&flag",
      "https://hooks.example.com:8443/a/b?team=REDACTED&sig=REDACTED&empty=&REDACTED",
    ],
    ["https://user:pa55@hooks.example.com/in", "https://REDACTED:REDACTED@hooks.example.com/in"],
    ["https://ghp_token123@hooks.example.com/", "https://REDACTED@hooks.example.com/"],
    ["https://hooks.example.com/in#access_token=xyz", "https://hooks.example.com/in#REDACTED"],
    ["http://10.0.0.5/hook", "http://10.0.0.5/hook"],
    // Cut to fit the row: still redacted.
    ["https://hooks.example.com/in?key=abcdefgh…", "https://hooks.example.com/in?key=REDACTED"],
    ["not a url ?token=x", "not a url ?token=x"],
  ])("%s → %s", (url, recorded) => {
    expect(redactUrl(url)).toBe(recorded);
  });

  it("redacts every URL in a detail at any depth, and nothing else", () => {
    expect(
      redactUrlsIn({
        kind: "webhook",
        fields: ["outboundUrl"],
        outboundUrl: { from: "https://a.test/x?t=1", to: "https://b.test/y" },
        list: ["https://c.test/?k=v", "orders.internal.example", 3, null],
      }),
    ).toEqual({
      kind: "webhook",
      fields: ["outboundUrl"],
      outboundUrl: { from: "https://a.test/x?t=REDACTED", to: "https://b.test/y" },
      list: ["https://c.test/?k=REDACTED", "orders.internal.example", 3, null],
    });
  });
});
