import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTokenSegment, MIN_TOKEN_CHARS } from "../src/audit/url-path-secrets";
import { redactUrl } from "../src/audit/url-redaction";

// Many webhook receivers take their credential in the path: whoever knows the URL can post to it, and every
// admin reads the audit log. The log keeps readable paths, since they say where customers' data goes.
const UUID = "5a183241-9d1b-4e55-8f63-2a7d3c1b9e40";
const UUID2 = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const HEX32 = "9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c";

describe("known services: every segment but the service's fixed words goes", () => {
  it.each([
    [
      "https://hooks.slack.com/services/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",
      "https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED",
    ],
    [
      "https://hooks.slack.com/workflows/T0001ABCD/A0003IJKL/123456789012345678/abcdEFGH1234ijkl",
      "https://hooks.slack.com/workflows/REDACTED/REDACTED/REDACTED/REDACTED",
    ],
    [
      "https://HOOKS.Slack.com:443/triggers/T0001ABCD/1234/deadbeef",
      "https://HOOKS.Slack.com:443/triggers/REDACTED/REDACTED/REDACTED",
    ],
    [
      "https://discord.com/api/webhooks/1188887777666655554/Abc-DEF_ghi123-jklMNO456_pqrSTU789-vwxYZ0abCDef1234-GHijKLmn5678_opQRst9",
      "https://discord.com/api/webhooks/REDACTED/REDACTED",
    ],
    [
      "https://ptb.discordapp.com/api/v10/webhooks/1188887777666655554/short/slack?wait=true",
      "https://ptb.discordapp.com/api/v10/webhooks/REDACTED/REDACTED/slack?wait=REDACTED",
    ],
    [
      `https://acme.webhook.office.com/webhookb2/${UUID}@${UUID2}/IncomingWebhook/${HEX32}/${UUID}/V2abc`,
      "https://acme.webhook.office.com/webhookb2/REDACTED/IncomingWebhook/REDACTED/REDACTED/REDACTED",
    ],
    [
      `https://outlook.office.com/webhook/${UUID}@${UUID2}/IncomingWebhook/${HEX32}/${UUID}`,
      "https://outlook.office.com/webhook/REDACTED/IncomingWebhook/REDACTED/REDACTED",
    ],
    [
      `https://prod-27.westeurope.logic.azure.com:443/workflows/${HEX32}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=Zx9`,
      "https://prod-27.westeurope.logic.azure.com:443/workflows/REDACTED/triggers/manual/paths/invoke?api-version=REDACTED&sig=REDACTED",
    ],
    [
      `https://default1234.56.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${HEX32}/triggers/When_a_request_arrives/paths/invoke`,
      "https://default1234.56.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/REDACTED/triggers/REDACTED/paths/invoke",
    ],
    [
      "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
      "https://api.telegram.org/REDACTED/sendMessage",
    ],
    [
      "https://api.telegram.org/file/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/photos/file_1.jpg",
      "https://api.telegram.org/file/REDACTED/photos/file_1.jpg",
    ],
    [
      "https://hooks.zapier.com/hooks/catch/1234567/abcdefg/",
      "https://hooks.zapier.com/hooks/catch/REDACTED/REDACTED/",
    ],
    ["https://hook.eu1.make.com/abcdefghijklmnopqrstuvwxyzabcdef", "https://hook.eu1.make.com/REDACTED"],
    ["https://hook.integromat.com/abcdefghijklmnop", "https://hook.integromat.com/REDACTED"],
    [
      "https://maker.ifttt.com/trigger/ticket_opened/json/with/key/dJLz9kQ-abcdefghij",
      "https://maker.ifttt.com/trigger/REDACTED/json/with/key/REDACTED",
    ],
  ])("%s → %s", (url, recorded) => {
    expect(redactUrl(url)).toBe(recorded);
  });
});

describe("elsewhere, segments that look like tokens go", () => {
  it.each([
    // A random UUID is the whole credential of webhook.site, n8n and many others.
    [`https://webhook.site/${UUID}`, "https://webhook.site/REDACTED"],
    [`https://n8n.acme.test/webhook/${UUID}/order`, "https://n8n.acme.test/webhook/REDACTED/order"],
    [
      `https://n8n.acme.test/webhook-test/${UUID.toUpperCase()}`,
      "https://n8n.acme.test/webhook-test/REDACTED",
    ],
    // Mattermost (lower-case base32), Rocket.Chat (id and token), Google Apps Script (base64url).
    ["https://chat.acme.test/hooks/xp9q4ba8ijg5dnhqerfk9ekgqe", "https://chat.acme.test/hooks/REDACTED"],
    [
      "https://rocket.acme.test/hooks/67a8b9c0d1e2f3a4b/Xy3kP9qLm2Rt8sVw1nBc7dFgH4jK6mN8pQ0rS2tU5vW7xY9z",
      "https://rocket.acme.test/hooks/REDACTED/REDACTED",
    ],
    [
      "https://script.google.com/macros/s/AKfycbx1Yh7Q-3pLk9_Zr2Wm8Vn4Tb6Xc0Jd5Fe3Gh1Ki7Lj9Mo2Np4/exec",
      "https://script.google.com/macros/s/REDACTED/exec",
    ],
    // Hex (a sha1), upper-case base32, a self-hosted Telegram Bot API server, percent-encoded base64.
    [
      "https://ha.acme.test/api/webhook/3f786850e387550fdab836ed7e6dc881de23001b",
      "https://ha.acme.test/api/webhook/REDACTED",
    ],
    ["https://in.acme.test/k/JBSWY3DPEHPK3PXPJBSWY3DP", "https://in.acme.test/k/REDACTED"],
    ["https://tg.acme.test/bot42:AAHdqTcv/sendMessage", "https://tg.acme.test/REDACTED/sendMessage"],
    ["https://in.acme.test/t/aGVsbG8gd29y%2BbGQgdG9r%3D%3D", "https://in.acme.test/t/REDACTED"],
    // Cut to fit the row: still redacted.
    ["https://in.acme.test/hooks/Xy3kP9qLm2Rt8sVw1nB…", "https://in.acme.test/hooks/REDACTED"],
  ])("%s → %s", (url, recorded) => {
    expect(redactUrl(url)).toBe(recorded);
  });
});

describe("ordinary paths stay as written", () => {
  it.each([
    "https://shop.acme.test/api/v1/orders/12345",
    "https://support.acme.test/customers/acme-corp/tickets",
    "https://support.acme.test/api/v2/webhooks/incoming",
    "https://support.acme.test/hooks/order-status-updates",
    "https://crm.acme.test/webhooks/zendesk-ticket-created-v3",
    "https://crm.acme.test/webhooks/OrderStatusUpdatedWebhookV2",
    "https://crm.acme.test/api/getHTTPResponseCode",
    "https://crm.acme.test/services/data/v58.0/sobjects/Case",
    "https://api.acme.test/2010-04-01/Accounts/Messages.json",
    "https://api.acme.test/events/2024-01-01/customer-12345-orders",
    "https://api.acme.test/acme-corp-production-eu-west-1/salesforceOpportunityUpdated",
    "https://api.acme.test/my_long_readable_endpoint_name/payments_webhook_v2_live",
    "https://acme.openai.azure.test/openai/deployments/gpt-4o-mini-2024-07-18/chat/completions",
    "https://models.acme.test/v1/models/llama-3.1-70b-instruct",
    `https://api.acme.test/${"p".repeat(40)}`,
    "https://api.acme.test/",
    "https://api.acme.test",
    "http://10.0.0.5:8080/hook",
  ])("%s", (url) => {
    expect(redactUrl(url)).toBe(url);
  });

  it("needs MIN_TOKEN_CHARS letters and digits before calling a segment a token", () => {
    const token = "Xy3kP9qLm2Rt8sVw1nBc";
    expect(isTokenSegment(token.slice(0, MIN_TOKEN_CHARS))).toBe(true);
    expect(isTokenSegment(token.slice(0, MIN_TOKEN_CHARS - 1))).toBe(false);
    expect(isTokenSegment("20240101T120000Z")).toBe(false);
    expect(isTokenSegment("2024010112000000000")).toBe(false);
  });
});

describe("redacting twice changes nothing", () => {
  const examples = [
    "https://hooks.slack.com/services/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",
    "https://discord.com/api/webhooks/1188887777666655554/Abc-DEF_ghi123-jklMNO456_pqrSTU",
    `https://acme.webhook.office.com/webhookb2/${UUID}@${UUID2}/IncomingWebhook/${HEX32}/${UUID}`,
    "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
    `https://user:pw@n8n.acme.test/webhook/${UUID}?token=x#frag`,
    "https://shop.acme.test/api/v1/orders/12345",
    "https://hooks.slack.com/services/REDACTED/REDACTED/REDACTED",
  ];

  it.each(examples)("%s", (url) => {
    const once = redactUrl(url);
    expect(redactUrl(once)).toBe(once);
  });

  it("for any web URL", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = redactUrl(url);
        expect(redactUrl(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it("and a run of hex mixing letters and digits is always a token", () => {
    fc.assert(
      fc.property(
        fc
          .stringMatching(new RegExp(`^[0-9a-f]{${MIN_TOKEN_CHARS},64}$`))
          .filter((hex) => /[a-f]/.test(hex) && /\d/.test(hex)),
        (hex) => {
          expect(redactUrl(`https://in.acme.test/h/${hex}/x`)).toBe("https://in.acme.test/h/REDACTED/x");
        },
      ),
      { numRuns: 300 },
    );
  });
});
