// What a first-time user reads when something goes wrong, in Chromium: an imported file's problems by line and
// column (not "details.problems"), the new-workflow name rule before any mistake, FD300 refusals that say what
// is allowed ("Entry 2", not `/entries/1`; no regular expressions), and error banners that go away once the
// next request of their kind works.
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signUpThroughUi } from "./support/ui-flows";

const RAW = /details\.problems|must match pattern|\/entries\/\d|Field \//;

describeBrowser("plain words in Chromium", () => {
  const suite = useBrowserSuite();

  it("lists an imported file's problems and says what a workflow name is before it is wrong", async () => {
    const page = await suite.newPage();
    await signUpThroughUi(page, newAccount("words"));

    const folder = await mkdtemp(join(tmpdir(), "flowdeck-import-"));
    const bad = join(folder, "bad.yaml");
    writeFileSync(bad, "name: broken\nnodes:\n  - { name: start, type: start\n  - name: x\n   type: end\n");
    await page.getByTestId("import-file").setInputFiles(bad);
    const toast = page.locator(".fd-toast--error").filter({ hasText: "Could not import bad.yaml." });
    await toast.locator(".fd-toast__lines li").first().waitFor();
    expect(await toast.locator(".fd-toast__lines li").first().innerText()).toMatch(/^Line \d+, column \d+: /);
    expect(await toast.innerText()).not.toMatch(RAW);
    await screenshot(page, "import-problems-toast");

    await page.getByRole("button", { name: "New workflow" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New workflow" });
    await dialog.getByText("Start with a letter; then letters, digits and spaces.").waitFor();
    await dialog.getByLabel("Name").fill("123 !!!");
    await dialog.getByRole("button", { name: "Create workflow" }).click();
    await dialog.getByRole("alert").filter({ hasText: "has no letter to start a name with" }).waitFor();
    await screenshot(page, "new-workflow-bad-name");
    expect(await seriousViolations(page)).toEqual([]);
    // Typing again takes the refusal away: it was about the text that is gone.
    await dialog.getByLabel("Name").fill("Order status");
    expect(await dialog.getByRole("alert").count()).toBe(0);
    await dialog.getByText("Saved as order_status").waitFor();
  }, 90_000);

  it("words settings refusals for people and clears a banner once the next load works", async () => {
    const page = await suite.newPage();
    await signUpThroughUi(page, newAccount("banners"));

    // The credentials list fails to load once: the banner shows, and goes once a later load works.
    let failLoads = 1;
    await page.route("**/settings/credentials", (route) =>
      route.request().method() === "GET" && failLoads-- > 0
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({
              error: { code: "FD390", message: "The database is not ready.", hint: "Retry." },
            }),
          })
        : route.continue(),
    );
    await page.getByRole("link", { name: "Settings" }).click();
    const credentials = page.locator("section", {
      has: page.getByRole("heading", { name: "Credentials for tools" }),
    });
    await credentials.getByRole("alert").filter({ hasText: "The database is not ready." }).waitFor();

    await page.getByLabel("Credential name").fill("Order API");
    await page.getByLabel("Value", { exact: true }).fill("secret-value-1234");
    await page.getByRole("button", { name: "Store credential" }).click();
    await credentials
      .getByRole("alert")
      .filter({
        hasText: "Credential name: use lowercase letters, digits and underscores, starting with a letter",
      })
      .waitFor();

    await page.getByLabel("Allowed hosts and ranges (one per line)").fill("10.0.0.1\nnot a host!");
    await page.getByRole("button", { name: "Save allow-list" }).click();
    await page.getByRole("alert").filter({ hasText: 'Entry 2, "not a host!", is neither' }).waitFor();
    for (const text of await page.getByRole("alert").allInnerTexts()) expect(text).not.toMatch(RAW);
    await screenshot(page, "settings-refusals");

    await page.getByLabel("Credential name").fill("order_api");
    await page.getByLabel("Value", { exact: true }).fill("secret-value-1234");
    await page.getByRole("button", { name: "Store credential" }).click();
    await credentials.getByText("order_api").waitFor();
    expect(await credentials.getByRole("alert").count()).toBe(0);
  }, 90_000);

  it("names the handoffs page as the sidebar does and drops a refresh failure once refreshing works", async () => {
    const page = await suite.newPage();
    await signUpThroughUi(page, newAccount("handoffs"));
    let failing = true;
    await page.route("**/inbox/conversations", (route) =>
      failing ? route.abort("connectionrefused") : route.continue(),
    );
    await page.getByRole("link", { name: "Handoffs" }).click();
    await page.getByRole("heading", { name: "Handoffs", level: 1 }).waitFor();
    expect(await page.title()).toBe("Handoffs · Flowdeck");
    const status = page.locator(".fd-inbox__status");
    await status.filter({ hasText: "Could not refresh the conversations" }).waitFor();
    await screenshot(page, "handoffs-refresh-failed");
    failing = false;
    // The screen polls every 3 s; the first refresh that works empties the status line.
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toBe("");
    // Every page of the sidebar names its tab the way the sidebar names it.
    for (const name of ["Workflows", "Runs", "Insights", "Team", "Channels", "Settings"]) {
      await page.getByRole("link", { name, exact: true }).click();
      await expect.poll(() => page.title()).toBe(`${name} · Flowdeck`);
    }
  }, 90_000);
});
