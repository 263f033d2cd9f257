// Issue 17 item 4 in a real browser: the channel page creates a web-chat channel and shows its embed snippet
// with an absolute URL; that snippet, copied with the page's own button and pasted into a page served from
// another origin, loads the widget, which chats with the flow. The page and its live preview pass axe. The
// conversation then appears in the runs history, and its run page draws the trace and lists the messages.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const FLOW = `name: shop_chat
trigger: { type: chat }
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Hello from the shop flow." } }
edges:
  - { from: start, to: done }
`;

/** A "shop" on an origin of its own (another port): serves whatever page the test pastes the snippet into. */
function startShop(): Promise<{ origin: string; html: { body: string }; close(): Promise<void> }> {
  const html = { body: "" };
  const server: Server = createServer((_req, res) => {
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(html.body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        html,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

describeBrowser("channels in Chromium", () => {
  const suite = useBrowserSuite();
  let shop: Awaited<ReturnType<typeof startShop>>;
  beforeAll(async () => {
    shop = await startShop();
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("creates a web channel whose absolute snippet, pasted on another origin, loads the widget and chats", async () => {
    const account = newAccount("channels");
    const registered = await suite.server.api<{ accessToken: string; tenant: { id: string } }>(
      "POST",
      "/auth/register",
      {
        body: { tenantName: account.tenantName, email: account.email, password: account.password },
      },
    );
    // Registration starts on free; the operator's path moves the workspace to pro.
    await suite.server.setPlan(registered.body.tenant.id, "pro");
    const token = registered.body.accessToken;
    const created = await suite.server.api<{ id: string }>("POST", "/workflows", {
      token,
      body: { yaml: FLOW },
    });
    expect(
      (await suite.server.api("POST", `/workflows/${created.body.id}/publish`, { token, body: {} })).status,
    ).toBeLessThan(300);

    const page = await suite.newPage();
    await page
      .context()
      .grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.server.url });
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Channels" }).click();
    await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/channel-setup");
    await screenshot(page, "channels-empty");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Name").fill("Shop chat");
    await page.getByLabel(/Allowed origins/).fill(`${shop.origin}\n${suite.server.url}`);
    await page.getByRole("button", { name: "Create channel" }).click();
    const snippetBox = page.getByTestId("embed-snippet");
    await snippetBox.waitFor();
    const snippet = await snippetBox.inputValue();
    // Absolute: the shop's own /widget.js would 404.
    expect(snippet).toMatch(
      new RegExp(
        `^<script src="${suite.server.url.replace(/\./g, "\\.")}/widget\\.js" data-channel="fdp\\.[^"]+" async></script>$`,
      ),
    );
    await page.getByRole("button", { name: "Copy snippet" }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(snippet);

    // The live preview is the real widget in a same-origin frame (this origin is allowed above).
    const preview = page.frameLocator("iframe[title^='Chat widget preview']");
    await preview.getByLabel("Your message").waitFor({ timeout: 15_000 });
    await page.getByTestId("channel-row").first().waitFor();
    await screenshot(page, "channels-created");
    expect(await seriousViolations(page)).toEqual([]);

    shop.html.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Outdoor gear</h1>${copied}</body></html>`;
    const customer = await suite.browser.newPage();
    await customer.goto(`${shop.origin}/`);
    await customer.getByRole("button", { name: /chat/i }).first().click();
    const input = customer.getByLabel("Your message");
    await input.fill("Hi, is anyone there?");
    await input.press("Enter");
    await expect
      .poll(() => customer.locator("[data-flowdeck-chat] .msg.bot").allTextContents(), { timeout: 20_000 })
      .toContain("Hello from the shop flow.");
    await screenshot(customer, "channels-widget-on-shop");
    await customer.close();

    // Staff find that conversation in the runs history, with its trace drawn on the flow's canvas.
    await page.getByRole("link", { name: "Runs" }).click();
    const row = page.getByTestId("run-row").filter({ hasText: "shop_chat" }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain("web");
    await row.getByRole("link").click();
    await expect.poll(() => page.getByTestId("node-done").getAttribute("data-trace")).toBe("completed");
    await page.getByTestId("run-messages").getByText("Hi, is anyone there?").waitFor();
    await page.getByTestId("run-messages").getByText("Hello from the shop flow.").waitFor();
    await screenshot(page, "channels-widget-run-trace");
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
