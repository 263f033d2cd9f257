// YAML that cannot be saved is not lost without a word: while it does not parse, leaving the builder in-app
// (a link, the back button) asks first, a reload asks (beforeunload), and the text is kept in the tab and offered
// back on the next visit. Once the YAML parses and is saved, leaving asks nothing.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { createWorkflowThroughUi, newAccount, signUpThroughUi } from "./support/ui-flows";

const SAVE_TIMEOUT_MS = 15_000;

/** Selects all of the YAML and pastes `text` over it (typing would auto-indent every new line). */
async function replaceYaml(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-testid="yaml-view"] .monaco-editor textarea');
  await input.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await input.evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

const saveStatus = (page: Page) => page.getByTestId("save-status").getAttribute("data-status");

/** What the browser would do on reload or close: true when the page asks first. */
const reloadAsks = (page: Page) =>
  page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

describeBrowser("unsaved YAML in Chromium", () => {
  const suite = useBrowserSuite();

  it("asks before leaving while the YAML does not parse, keeps it, and lets go once it saves", async () => {
    const page = await suite.newPage();
    const account = newAccount("unsaved");
    await signUpThroughUi(page, account);
    const id = await createWorkflowThroughUi(page, "Unsaved yaml");
    await page.getByTestId("view-yaml").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    await expect.poll(() => saveStatus(page)).toBe("saved");
    expect(await reloadAsks(page)).toBe(false);

    const login = await suite.server.api<{ accessToken: string }>("POST", "/auth/login", {
      body: { email: account.email, password: account.password },
    });
    const original = (
      await suite.server.api<{ yaml: string }>("GET", `/workflows/${id}`, { token: login.body.accessToken })
    ).body.yaml;

    const broken = "name: unsaved_yaml\nnodes:\n  - name: [unclosed\n";
    await replaceYaml(page, broken);
    await expect.poll(() => saveStatus(page), { timeout: SAVE_TIMEOUT_MS }).toBe("waiting-for-yaml");
    expect(await reloadAsks(page)).toBe(true);

    // A link away asks; Stay keeps the builder and the text.
    await page.getByRole("link", { name: "All workflows" }).click();
    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(
      "Your YAML has errors and was not saved. Leave and lose your changes?",
    );
    await screenshot(page, "builder-unsaved-leave");
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Stay" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(page.url()).toMatch(new RegExp(`/flows/${id}$`));

    // The back button asks too, and Stay leaves the URL on the builder.
    await page.goBack();
    await dialog.waitFor();
    expect(page.url()).toMatch(new RegExp(`/flows/${id}$`));
    await dialog.getByRole("button", { name: "Stay" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByTestId("workflow-builder").waitFor();

    // Leave anyway: on the next visit the tab offers the text back.
    await page.getByRole("link", { name: "All workflows" }).click();
    await dialog.getByRole("button", { name: "Leave" }).click();
    await page.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
    await page.goto(`/flows/${id}`);
    const kept = page.getByTestId("kept-draft-banner");
    await kept.waitFor();
    await screenshot(page, "builder-unsaved-restore");
    await kept.getByRole("button", { name: "Restore my YAML" }).click();
    await expect.poll(() => saveStatus(page), { timeout: SAVE_TIMEOUT_MS }).toBe("waiting-for-yaml");
    await page.getByTestId("parse-banner").waitFor();

    // Fixed and saved: nothing to lose, so nothing asks and the kept copy is gone.
    await page.getByTestId("view-yaml").click();
    await page.locator('[data-testid="yaml-view"] .view-lines').waitFor();
    await replaceYaml(page, `${original}# Fixed after a restore.\n`);
    await expect.poll(() => saveStatus(page), { timeout: SAVE_TIMEOUT_MS }).toBe("saved");
    expect(await reloadAsks(page)).toBe(false);
    expect(
      await page.evaluate((workflowId) => sessionStorage.getItem(`flowdeck:unsaved-yaml:${workflowId}`), id),
    ).toBeNull();
    await page.getByRole("link", { name: "All workflows" }).click();
    await page.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
    expect(await dialog.count()).toBe(0);
  });
});
