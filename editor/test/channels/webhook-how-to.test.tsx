// The webhook how-to under Node: it shows the channel's own URL and the header names the server checks, and its
// curl example's openssl line computes the same signature as the server's scheme (HMAC-SHA256 of "<t>.<body>").
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { curlExample, nodeExample, webhookUrlOf } from "../../src/channels/webhook-examples";
import { WebhookHowTo } from "../../src/channels/webhook-how-to";
import { ToastProvider } from "../../src/ui/toasts";

const URL_OF_CHANNEL = "https://flowdeck.example.com/webhooks/3f0c8a52-8d7e-4c1e-9a40-1b2c3d4e5f60";

function decoded(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("webhook how-to", () => {
  it("shows the channel's URL, the header names, the bodies and the answers", () => {
    const html = decoded(
      renderToStaticMarkup(
        <ToastProvider>
          <WebhookHowTo url={URL_OF_CHANNEL} open />
        </ToastProvider>,
      ),
    );
    expect(html).toContain("How to call this webhook");
    expect(html).toContain(`data-testid="webhook-how-to-url">${URL_OF_CHANNEL}<`);
    for (const text of [
      "Flowdeck-Signature: t=<unix seconds>,v1=<signature>",
      "Flowdeck-Message-Id: <your id>",
      "<t>.<raw body>",
      '{ "text": "…", "conversationId": "…" }',
      "409 FD376",
      "401 FD374",
      "401 FD375",
      "5 minutes",
    ]) {
      expect(html).toContain(text);
    }
    // Both examples, each with the channel's URL.
    expect(html).toContain(`curl -sS -i -X POST '${URL_OF_CHANNEL}'`);
    expect(html).toContain(`const url = "${URL_OF_CHANNEL}";`);
    // The secret is shown once, on create and rotate; the examples read it from the environment.
    expect(html).not.toMatch(/whsec_[A-Za-z0-9]/);
  });

  it("derives a viewed channel's URL from where the editor reaches the API", () => {
    expect(webhookUrlOf("", "abc", "https://fd.example/channel-setup")).toBe(
      "https://fd.example/webhooks/abc",
    );
    expect(webhookUrlOf("/api", "abc", "http://127.0.0.1:5173/channel-setup")).toBe(
      "http://127.0.0.1:5173/api/webhooks/abc",
    );
    expect(webhookUrlOf("https://api.example", "abc", "https://fd.example/")).toBe(
      "https://api.example/webhooks/abc",
    );
  });

  it("signs in the curl example's openssl line exactly as the server verifies", () => {
    const secret = "whsec_test-secret-123";
    const body = '{"text":"Hello, where is my order?"}';
    const line = curlExample(URL_OF_CHANNEL)
      .split("\n")
      .find((l) => l.startsWith("SIG="))!;
    let computed: string;
    try {
      computed = execFileSync("bash", ["-c", `TS=1700000000; BODY='${body}'; ${line}; printf '%s' "$SIG"`], {
        env: { ...process.env, FLOWDECK_WEBHOOK_SECRET: secret },
        encoding: "utf8",
      });
    } catch (error) {
      // No bash or openssl on this machine: the markup checks above still hold.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(computed).toBe(expected);
    expect(curlExample(URL_OF_CHANNEL)).toContain(`BODY='${body}'`);
  });

  it("quotes a URL for the shell and for JavaScript", () => {
    expect(curlExample("https://x.example/it's")).toContain(`'https://x.example/it'\\''s'`);
    expect(nodeExample('https://x.example/"q"')).toContain('const url = "https://x.example/\\"q\\"";');
  });
});
