// The builder in a laptop's window, as a support lead meets it, in Chromium against a real server. At 900 × 600
// the toolbar wrapped "Auto-layout" and "Test run" onto two lines and cut "Publish…" off at the window's edge, and
// a Problems panel saying only "No problems." took 180 px, leaving the canvas ~313 px. Between 40 % and 70 % zoom
// (a 1,366 × 768 window fitted the support flow at ~41 %) card names read at 5.6 to 9.8 px; a new workflow's End
// card said "End" and not the greeting it sends; and the workflow's Version was a two-row textarea.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite, type BrowserSuite } from "./support/browser-suite";
import { box, settled } from "./support/canvas-probes";
import { screenshot } from "./support/screenshots";
import { createWorkflowThroughUi, newAccount, signInThroughUi } from "./support/ui-flows";

const HERE = dirname(fileURLToPath(import.meta.url));
const SEED = readFileSync(
  join(HERE, "..", "..", "..", "workflows", "customer_support_workflow.yaml"),
  "utf8",
);
const SMALL = { width: 900, height: 600 };
/** The Problems panel with nothing to list: one line of text and its padding, CSS pixels. */
const ONE_LINE_MAX_PX = 36;

async function signedIn(suite: BrowserSuite, viewport: { width: number; height: number }) {
  const account = newAccount("laptop");
  const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
    body: { tenantName: account.tenantName, email: account.email, password: account.password },
  });
  const page = await suite.newPage();
  await page.setViewportSize(viewport);
  await signInThroughUi(page, account.email, account.password);
  return { page, token: registered.body.accessToken };
}

async function openSeed(suite: BrowserSuite, viewport: { width: number; height: number }): Promise<Page> {
  const { page, token } = await signedIn(suite, viewport);
  const created = await suite.server.api<{ id: string }>("POST", "/workflows", {
    token,
    body: { yaml: SEED },
  });
  expect(created.status).toBe(201);
  await page.goto(`/flows/${created.body.id}`);
  await page.getByTestId("node-classify_intent").waitFor();
  await settled(page.getByTestId("node-start"));
  return page;
}

/** Every control of the toolbar: its words, height, and whether it is cut by its own box or the window's. */
const toolbarControls = (page: Page) =>
  page.getByTestId("workflow-builder").evaluate((builder) => {
    const bar = builder.querySelector(".fdb-toolbar")!.getBoundingClientRect();
    return [...builder.querySelectorAll<HTMLElement>(".fdb-toolbar :is(button, a)")].map((control) => {
      const r = control.getBoundingClientRect();
      return {
        name: control.getAttribute("aria-label") ?? control.textContent!.trim(),
        height: r.height,
        overflows:
          control.scrollWidth > control.clientWidth + 1 || control.scrollHeight > control.clientHeight + 1,
        clipped: r.left < bar.left || r.right > bar.right || r.right > window.innerWidth,
      };
    });
  });

/** Small wheel steps over the middle of the canvas until React Flow's zoom is within 0.005 of `target`. */
async function wheelZoomTo(page: Page, target: number): Promise<void> {
  const pane = await box(page.locator(".react-flow__pane"));
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  const canvas = page.getByTestId("canvas");
  for (let step = 0; step < 200; step++) {
    const zoom = await zoomOf(canvas);
    if (Math.abs(zoom - target) < 0.005) return;
    await page.mouse.wheel(0, zoom > target ? 6 : -6);
  }
  throw new Error(`the zoom did not reach ${target}`);
}

const height = async (locator: Locator) => (await box(locator)).height;

/** The canvas's zoom, from React Flow's viewport transform. */
const zoomOf = (canvas: Locator) =>
  canvas
    .locator(".react-flow__viewport")
    .evaluate((viewport) => new DOMMatrix(getComputedStyle(viewport).transform).a);

/** Every full card wholly inside the canvas: its name's size on screen, whether it stays in the card, its tooltip. */
const cardNames = (canvas: Locator) =>
  canvas.evaluate((root) => {
    const pane = root.getBoundingClientRect();
    const zoom = new DOMMatrix(getComputedStyle(root.querySelector(".react-flow__viewport")!).transform).a;
    return [...root.querySelectorAll<HTMLElement>(".fdb-node:not(.fdb-node--simple)")].flatMap((card) => {
      const c = card.getBoundingClientRect();
      if (c.left < pane.left || c.right > pane.right || c.top < pane.top || c.bottom > pane.bottom) return [];
      const name = card.querySelector<HTMLElement>(".fdb-node__name")!;
      const n = name.getBoundingClientRect();
      return [
        {
          node: card.dataset.nodeName!,
          shown: name.textContent,
          screenPx: parseFloat(getComputedStyle(name).fontSize) * zoom,
          inside:
            n.left >= c.left - 0.5 &&
            n.right <= c.right + 0.5 &&
            n.top >= c.top - 0.5 &&
            n.bottom <= c.bottom + 0.5,
          cut: name.scrollWidth > name.clientWidth,
          compact: card.classList.contains("fdb-node--compact"),
          title: card.title,
        },
      ];
    });
  });

describeBrowser("the builder in a laptop's window", () => {
  const suite = useBrowserSuite();

  it("at 900 × 600 keeps the toolbar on one row with Publish whole, and gives the canvas the height a one-line Problems bar leaves", async () => {
    const page = await openSeed(suite, SMALL);
    const controls = await toolbarControls(page);
    expect(controls.map((control) => control.name)).toEqual(
      expect.arrayContaining(["Undo", "Redo", "Auto-layout", "Fit", "Test run", "Versions", "Publish…"]),
    );
    // No label wraps (a wrapped one was 49 px tall beside 30 px), none is cut by its box or the window.
    const publishHeight = await height(page.getByTestId("publish-open"));
    for (const control of controls) {
      expect({ ...control, height: Math.round(control.height) }).toEqual({
        ...control,
        height: Math.round(publishHeight),
        overflows: false,
        clipped: false,
      });
    }
    expect(await page.getByTestId("publish-open").isVisible()).toBe(true);
    // The save status gives way only after the workflow's name: "Saved" is whole.
    const status = page.getByTestId("save-status");
    await expect.poll(() => status.innerText()).toBe("Saved");
    expect(await status.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    // Icons where words did not fit still say what they do, to screen readers and in a tooltip.
    expect(await page.getByRole("button", { name: "Auto-layout" }).getAttribute("title")).toBe(
      "Auto-layout (Shift+L)",
    );
    expect(await page.getByRole("link", { name: "Versions" }).count()).toBe(1);

    // No problems: one slim line that still says so.
    const panel = page.getByTestId("validation-panel");
    await page.getByTestId("problem-counts").filter({ hasText: "0 errors, 0 warnings" }).waitFor();
    expect(await panel.innerText()).toContain("No problems.");
    expect(await height(panel)).toBeLessThanOrEqual(ONE_LINE_MAX_PX);
    // The canvas runs from the toolbar to that line: ~480 px of the window's 600, where it had ~313.
    const toolbar = await box(page.locator(".fdb-toolbar"));
    const canvas = await box(page.getByTestId("canvas"));
    const bar = await box(panel);
    expect(canvas.y).toBeCloseTo(toolbar.y + toolbar.height, 0);
    expect(canvas.y + canvas.height).toBeCloseTo(bar.y, 0);
    expect(bar.y + bar.height).toBeCloseTo(SMALL.height, 0);
    expect(canvas.height).toBeGreaterThan(440);

    // The workflow's Version is one line, its Description still several.
    expect(await page.getByTestId("field-version").locator('input[type="text"]').inputValue()).toBe("1.0.0");
    expect(await page.getByTestId("field-version").locator("textarea").count()).toBe(0);
    expect(await page.getByTestId("field-description").locator("textarea").count()).toBe(1);
    await screenshot(page, "builder-small-window");
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it("grows the Problems bar to list problems, collapses it on request and remembers that after a reload", async () => {
    const page = await openSeed(suite, SMALL);
    const panel = page.getByTestId("validation-panel");
    const version = page.getByTestId("field-version").locator("input");
    await version.fill("1.0");
    await page.getByTestId("problem-counts").filter({ hasText: "1 error" }).waitFor();
    await page.getByTestId("problem-item").first().waitFor();
    expect(await page.getByTestId("problem-item").first().getAttribute("data-code")).toBe("FD113");
    const open = await height(panel);
    expect(open).toBeGreaterThan(ONE_LINE_MAX_PX);
    // It grows with its list, but never past about a third of the window.
    expect(open).toBeLessThanOrEqual(SMALL.height * 0.32 + 1);
    const toggle = page.getByTestId("problems-toggle");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);

    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByTestId("problem-item").count()).toBe(0);
    expect(await height(panel)).toBeLessThanOrEqual(ONE_LINE_MAX_PX);
    // Collapsed, the counts still say there is an error.
    expect(await page.getByTestId("problem-counts").innerText()).toBe("1 error, 0 warnings");
    await screenshot(page, "builder-problems-collapsed");

    // The draft (with its problem) is saved; after a reload the bar is still collapsed.
    await expect
      .poll(() => page.getByTestId("save-status").getAttribute("data-status"), { timeout: 15_000 })
      .toBe("saved");
    await page.reload();
    await page.getByTestId("node-start").waitFor();
    await page.getByTestId("problem-counts").filter({ hasText: "1 error" }).waitFor();
    expect(await page.getByTestId("problems-toggle").getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByTestId("problem-item").count()).toBe(0);
    await page.getByTestId("problems-toggle").click();
    await page.getByTestId("problem-item").first().waitFor();

    // Fixed, the bar is one line again, whatever was chosen.
    await page.getByTestId("field-version").locator("input").fill("1.0.0");
    await page.getByTestId("problem-counts").filter({ hasText: "0 errors" }).waitFor();
    expect(await page.getByTestId("problems-toggle").count()).toBe(0);
    expect(await height(panel)).toBeLessThanOrEqual(ONE_LINE_MAX_PX);
  }, 120_000);

  it("names every card at 11 px on screen between 40 % and 70 % zoom, inside its card, whole in its tooltip", async () => {
    const page = await openSeed(suite, { width: 1366, height: 768 });
    const canvas = page.getByTestId("canvas");
    // Opened at 70 %: whole cards, the name at 11 px where it was 9.8 px, type line still there.
    expect(await zoomOf(canvas)).toBeCloseTo(0.7, 2);
    const opening = await cardNames(canvas);
    expect(opening.length).toBeGreaterThan(4);
    for (const card of opening) {
      expect(card.compact).toBe(false);
      expect(card.screenPx).toBeGreaterThanOrEqual(10.9);
      expect(card.inside).toBe(true);
    }
    expect(await page.getByTestId("node-start").locator(".fdb-node__type").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await settled(page.getByTestId("node-start"));
    // Out by the zoom controls (~47 %), then by the wheel to ~41 %, where a 1,366 × 768 window fitted the flow.
    await page.getByRole("button", { name: "Zoom Out" }).click();
    for (const target of [undefined, 0.41]) {
      if (target !== undefined) await wheelZoomTo(page, target);
      await settled(page.getByTestId("node-start"));
      const zoom = await zoomOf(canvas);
      expect(zoom).toBeGreaterThanOrEqual(0.4);
      expect(zoom).toBeLessThan(0.7);
      const names = await cardNames(canvas);
      expect(names.length).toBeGreaterThanOrEqual(12);
      for (const card of names) {
        expect(card.shown).toBe(card.node);
        expect(card.screenPx).toBeGreaterThanOrEqual(10.9);
        // Cut with an ellipsis at the card's edge, never over a neighbour; the tooltip has the whole name.
        expect(card.inside).toBe(true);
        expect(card.title.startsWith(`${card.node} (`)).toBe(true);
      }
      const router = names.find((card) => card.node === "classify_intent");
      expect(router?.cut).toBe(true);
      expect(router?.title.split("\n")[0]).toBe("classify_intent (Router)");
    }
    await screenshot(page, "builder-names-zoomed-out");
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it("shows a new workflow's greeting on its End card", async () => {
    const { page } = await signedIn(suite, SMALL);
    await createWorkflowThroughUi(page, "Greeting check");
    const summary = page.getByTestId("node-summary-reply");
    await summary.waitFor();
    expect(await summary.innerText()).toBe("“Hi! How can I help you today?”");
    // On one line inside the card, and whole in the card's tooltip.
    const card = await box(page.getByTestId("node-reply"));
    const line = await box(summary);
    expect(line.height).toBeLessThan(20);
    expect(line.x + line.width).toBeLessThanOrEqual(card.x + card.width);
    expect(await page.getByTestId("node-reply").getAttribute("title")).toContain(
      "“Hi! How can I help you today?”",
    );
    await screenshot(page, "builder-new-workflow");
  }, 90_000);
});
