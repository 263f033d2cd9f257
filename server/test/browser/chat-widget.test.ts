import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, withoutChromium } from "./chromium";
import { DEMO_LOGIN, ensureDemoTenant } from "../../src/demo/demo-tenant";
import { startTestServer, type TestServer } from "../support/test-server";
import { startPageServer, type PageServer } from "./page-server";

// Counts the token frames the widget receives, so the test sees that the answer was streamed, not just shown.
const COUNT_TOKENS = `(() => {
  window.__tokens = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        try { const frame = JSON.parse(event.data); if (frame.type === "token") window.__tokens.push(frame.text); } catch {}
      });
    }
  };
})();`;

// Outside CI a machine without Chromium skips; in CI (.ci/run installs it) a missing browser fails the test.
describe.skipIf(withoutChromium)("the widget and the inbox in Chromium", () => {
  let server: TestServer;
  let pages: PageServer;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    pages = await startPageServer();
    server = await startTestServer("pg", { corsOrigins: [pages.origin] });
    await ensureDemoTenant(server.testDb.db);
    const login = await server.request("POST", "/auth/login", { body: DEMO_LOGIN });
    token = login.body.accessToken;
    const workflows = (await server.request("GET", "/workflows", { token })).body.items as Array<{
      id: string;
      name: string;
    }>;
    for (const name of ["order_management", "customer_support_workflow"]) {
      const workflow = workflows.find((w) => w.name === name)!;
      const channel = await server.request("POST", "/channels", {
        token,
        body: { kind: "web", workflow: workflow.id, allowedOrigins: [pages.origin] },
      });
      pages.page(
        `/${name}.html`,
        `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Acme Outfitters</h1>` +
          `<script src="${server.url}/widget.js" data-channel="${channel.body.publishableKey}" data-open async></script></body></html>`,
      );
    }
    pages.page(
      "/inbox.html",
      `<!doctype html><html lang="en"><head><title>Inbox</title></head><body><div id="root"></div>` +
        `<script>window.__INBOX__ = ${JSON.stringify({ baseUrl: server.url, token })};</script><script src="/inbox.js"></script></body></html>`,
    );
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await pages?.close();
  });

  async function say(page: Page, text: string): Promise<void> {
    const input = page.getByLabel("Your message");
    await input.fill(text);
    await input.press("Enter");
  }

  const botBubbles = (page: Page) => page.locator("[data-flowdeck-chat] .msg.bot");

  it("chats through the demo tenant's order flow and shows the streamed answer", async () => {
    const page = await browser.newPage();
    await page.addInitScript(COUNT_TOKENS);
    await page.goto(`${pages.origin}/order_management.html`);
    await expect.poll(() => page.getByRole("log").count(), { timeout: 10_000 }).toBe(1);
    await say(page, "Where is my order?");
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 20_000 })
      .toContain("order number");
    await say(page, "AO-10492");
    // The order is only shown for the email it was placed with.
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 20_000 })
      .toContain("email address");
    await say(page, "daniel.okafor@example.com");
    await expect
      .poll(
        async () => await page.evaluate(() => (window as unknown as { __tokens: string[] }).__tokens.length),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(1);
    const streamed = await page.evaluate(() =>
      (window as unknown as { __tokens: string[] }).__tokens.join(""),
    );
    expect(streamed).toContain("AO-10492");
    // The streamed bubble becomes the stored reply (same id, final text) instead of a second copy.
    await expect
      .poll(() => page.locator("[data-flowdeck-chat] .msg.bot[data-id]").last().textContent(), {
        timeout: 30_000,
      })
      .toContain(streamed.trim().slice(0, 20));
    expect(
      await page.locator("[data-flowdeck-chat] .msg.bot", { hasText: streamed.trim().slice(0, 20) }).count(),
    ).toBe(1);
    // The focus stays in the message box for the next message.
    expect(
      await page.evaluate(
        () => document.querySelector("[data-flowdeck-chat]")?.shadowRoot?.activeElement?.id,
      ),
    ).toBe("fd-input");
    await page.close();
  }, 90_000);

  it("offers an ask's choices as buttons, and a click answers with the label", async () => {
    const page = await browser.newPage();
    await page.goto(`${pages.origin}/order_management.html`);
    await expect.poll(() => page.getByRole("log").count(), { timeout: 10_000 }).toBe(1);
    await say(page, "I want to cancel my order");
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 20_000 })
      .toContain("order number");
    // A question without choices offers no buttons.
    const answers = page.getByRole("group", { name: "Suggested answers" });
    expect(await answers.count()).toBe(0);
    await say(page, "AO-10492");
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 20_000 })
      .toContain("email address");
    await say(page, "daniel.okafor@example.com");
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 30_000 })
      .toContain("should I cancel order AO-10492?");
    await expect
      .poll(() => answers.getByRole("button").allTextContents(), { timeout: 10_000 })
      .toEqual(["Yes, cancel it", "No, keep it"]);
    await answers.getByRole("button", { name: "No, keep it" }).click();
    // The click is the customer's answer: their bubble, the buttons gone, and the flow's branch for it.
    await expect
      .poll(() => page.locator("[data-flowdeck-chat] .msg.customer").last().textContent(), {
        timeout: 10_000,
      })
      .toBe("No, keep it");
    expect(await answers.count()).toBe(0);
    await expect
      .poll(() => botBubbles(page).last().textContent(), { timeout: 30_000 })
      .toContain("stays exactly as it is");
    await page.close();
  }, 90_000);

  it("shows in the widget what a staff member answers from the inbox", async () => {
    const customer = await browser.newPage();
    await customer.goto(`${pages.origin}/customer_support_workflow.html`);
    // The chat greets as it opens, before the customer has written anything (issue 16).
    await expect
      .poll(() => botBubbles(customer).allTextContents(), { timeout: 10_000 })
      .toEqual(["Hi there! Welcome to Acme Outfitters (demo). How can I help you today?"]);
    await say(customer, "I want to talk to a human");
    await expect
      .poll(() => customer.locator("[data-flowdeck-chat] .msg.note").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);

    const staff = await browser.newPage();
    await staff.goto(`${pages.origin}/inbox.html`);
    await staff
      .getByRole("button", { name: /customer_support_workflow/ })
      .first()
      .click();
    await staff.getByLabel("Your answer to the customer").fill("Hi, this is Sam from Acme. How can I help?");
    await staff.getByRole("button", { name: "Send answer" }).click();
    await expect
      .poll(() => staff.getByRole("status").textContent(), { timeout: 10_000 })
      .toContain("Answer sent");

    await expect
      .poll(() => customer.locator("[data-flowdeck-chat] .msg.agent").allTextContents(), { timeout: 15_000 })
      .toContain("Hi, this is Sam from Acme. How can I help?");
    // After a reload the widget resumes the conversation and still shows the agent's answer.
    await customer.reload();
    await expect
      .poll(() => customer.locator("[data-flowdeck-chat] .msg.agent").allTextContents(), { timeout: 15_000 })
      .toContain("Hi, this is Sam from Acme. How can I help?");
    // Greeted once: the flow's run did not greet again, nor did the reload.
    const greetings = await customer
      .locator("[data-flowdeck-chat] .msg.bot", { hasText: "Welcome to Acme Outfitters" })
      .count();
    expect(greetings).toBe(1);

    // Issue 17: "Mark resolved" says so, leaves nothing to press, and the customer learns the bot is back.
    await staff.getByRole("button", { name: "Mark resolved" }).click();
    await expect
      .poll(() => staff.getByRole("status").textContent(), { timeout: 10_000 })
      .toContain("Marked resolved");
    expect(await staff.getByRole("button", { name: "Send answer" }).count()).toBe(0);
    expect(await staff.getByRole("button", { name: "Hand back to the flow" }).count()).toBe(0);
    await expect
      .poll(() => customer.locator("[data-flowdeck-chat] .msg.note").allTextContents(), { timeout: 15_000 })
      .toContain("You're chatting with our assistant again.");
    await staff.close();
    await customer.close();
  }, 90_000);
});
