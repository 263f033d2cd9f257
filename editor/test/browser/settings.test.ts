// Issue 17 item 6 in a real browser: the Settings page's model provider (save a key, shown back only as its
// last 4; a connection test that really calls the fake OpenAI server once the workspace allow-lists loopback),
// plan and usage, and the audit log with filters. Each state passes axe and is saved as a screenshot.
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { startFakeModelServer, type FakeOpenAiServer } from "./support/fake-model-server";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const KEY = "sk-browser-test-key-9876";

describeBrowser("workspace settings in Chromium", () => {
  const suite = useBrowserSuite();
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeModelServer();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("saves a model key, tests the connection, shows plan and usage and filters the audit log", async () => {
    const account = newAccount("settings");
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

    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/workspace-settings");
    await page.getByTestId("plan-name").filter({ hasText: "Pro plan" }).waitFor();
    await screenshot(page, "settings-empty");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("API key").fill(KEY);
    await page.getByLabel("Base URL").fill(fake.url);
    await page.getByLabel("Default model").fill("gpt-4o-mini");
    await page.getByRole("button", { name: "Save model settings" }).click();
    await page.getByText("uses its own key (ending 9876)").waitFor();
    expect(await page.getByLabel(/API key/).inputValue()).toBe("");

    // Loopback is a private address: refused until the workspace allow-lists it (SSRF rules).
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByTestId("model-test").filter({ hasText: "FD240" }).waitFor();
    expect(fake.requests).toHaveLength(0);
    await suite.server.api("PUT", "/settings/http-allow-list", { token, body: { entries: ["127.0.0.1"] } });
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByTestId("model-test").filter({ hasText: "Connection works" }).waitFor();
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(await page.content()).not.toContain(KEY);

    // The audit log shows the change; a filter narrows it.
    await page.reload();
    const table = page.getByTestId("audit-table");
    await table.getByText("settings.models").waitFor();
    await page.getByLabel("Action").fill("workflow.*");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByText("No entries match.").waitFor();
    await page.getByLabel("Action").fill("settings.*");
    await page.getByRole("button", { name: "Filter" }).click();
    await table.getByText("settings.http_allow_list").waitFor();
    await table.getByText("settings.models").waitFor();
    await screenshot(page, "settings-configured");
    expect(await seriousViolations(page)).toEqual([]);

    // The Actor filter takes a member's email in any case; one no member has is refused in plain words.
    const actor = page.getByLabel("Actor (email or user id)");
    await actor.fill(account.email.toUpperCase());
    await page.getByRole("button", { name: "Filter" }).click();
    await table.getByText("settings.models").waitFor();
    await actor.fill("nobody@example.com");
    await page.getByRole("button", { name: "Filter" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: 'No member has the email "nobody@example.com"' })
      .waitFor();
    expect(await table.getByText("settings.models").count()).toBe(0);
  }, 90_000);
});
