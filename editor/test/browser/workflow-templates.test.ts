// "Start from a template" in Chromium: a new workspace sees the templates in its empty list, uses the FAQ one and
// lands in the builder with its nodes on the canvas; on a plan with room, the support router brings the five
// flows it calls, all drafts, and the toast says to publish those first. Keyboard only for the second.
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi, signUpThroughUi } from "./support/ui-flows";

const SUPPORT_FLOWS = [
  "complaint_handling",
  "customer_support_workflow",
  "faq_handling",
  "lead_capture",
  "order_management",
  "technical_support",
];

describeBrowser("start from a template in Chromium", () => {
  const suite = useBrowserSuite();

  it("offers the templates to a new workspace and opens the FAQ template in the builder", async () => {
    const page = await suite.newPage();
    await signUpThroughUi(page, newAccount("templates"));

    const section = page.getByRole("region", { name: "Start from a template" });
    const faq = section.getByRole("article", { name: "FAQ answers" });
    await faq.waitFor();
    expect(await faq.innerText()).toContain("10 nodes");
    // Free plan: five workflows, and the router needs six. Said on its card, before any click.
    const router = section.getByRole("article", { name: "Customer support router" });
    expect(await router.innerText()).toContain("15 nodes · includes 5 subflows");
    expect(await router.innerText()).toContain(
      "Needs room for 6 workflows; the free plan has room for 5 more.",
    );
    expect(
      await router
        .getByRole("button", { name: "Use template Customer support router" })
        .getAttribute("aria-disabled"),
    ).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "templates-empty-list");

    await faq.getByRole("button", { name: "Use template FAQ answers" }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]+$/);
    for (const node of ["start", "search_kb", "has_articles", "answer", "offer_human"]) {
      await page.getByTestId(`node-${node}`).waitFor();
    }
    await page
      .locator(".fd-toast")
      .filter({ hasText: "Added FAQ answers as the draft faq_handling" })
      .waitFor();
    await screenshot(page, "templates-faq-builder");

    // Back in the list: one draft, and its card now opens it instead of creating it again.
    await page.getByRole("link", { name: "All workflows" }).click();
    await page.getByTestId("workflow-row").filter({ hasText: "faq_handling" }).getByText("Draft").waitFor();
    await page.getByRole("button", { name: "Start from a template" }).click();
    const dialog = page.getByRole("dialog", { name: "Start from a template" });
    const again = dialog.getByRole("article", { name: "FAQ answers" });
    await again.getByText("In this workspace").waitFor();
    expect(await again.getByRole("button", { name: /Use template/ }).count()).toBe(0);
    expect(await again.getByRole("link", { name: "Open faq_handling" }).count()).toBe(1);
  }, 120_000);

  it("creates the support router with its five subflows as drafts, by keyboard", async () => {
    const { server } = suite;
    const account = newAccount("router");
    const registered = await server.api<{ tenant: { id: string } }>("POST", "/auth/register", {
      body: { tenantName: account.tenantName, email: account.email, password: account.password },
    });
    // Registration starts on free (room for 5); the operator's path moves the workspace to pro.
    await server.setPlan(registered.body.tenant.id, "pro");
    const page = await suite.newPage();
    await signInThroughUi(page, account.email, account.password);

    await page.getByRole("button", { name: "Start from a template" }).first().focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Start from a template" });
    await dialog.getByRole("article", { name: "Customer support router" }).waitFor();
    // Focus lands in the named, scrollable list; the next Tab is the first template's button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Templates");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "templates-dialog");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Use template Customer support router",
    );
    await page.keyboard.press("Enter");

    await page.waitForURL(/\/flows\/[0-9a-f-]+$/);
    for (const node of [
      "classify_intent",
      "faq_flow",
      "order_flow",
      "lead_flow",
      "complaint_flow",
      "technical_flow",
    ]) {
      await page.getByTestId(`node-${node}`).waitFor();
    }
    const toast = page.locator(".fd-toast").filter({ hasText: "Added Customer support router" });
    await toast.waitFor();
    expect(await toast.locator(".fd-toast__lines li").allInnerTexts()).toEqual([
      "Its subflows, also drafts: faq_handling, order_management, lead_capture, complaint_handling, technical_support.",
      "Publish the subflows before the flow that calls them: until a subflow is published, conversations sent to it go to a person instead.",
    ]);
    await screenshot(page, "templates-router-builder");

    await page.getByRole("link", { name: "All workflows" }).click();
    const rows = page.getByTestId("workflow-row");
    await expect.poll(() => rows.count()).toBe(SUPPORT_FLOWS.length);
    const names = (await rows.locator(".fd-workflow-name__link").allInnerTexts()).sort();
    expect(names).toEqual(SUPPORT_FLOWS);
    expect(await rows.getByText("Draft", { exact: true }).count()).toBe(SUPPORT_FLOWS.length);
  }, 120_000);
});
