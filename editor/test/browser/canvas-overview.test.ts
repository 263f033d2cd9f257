// A large flow zoomed out in a real browser: the canvas overview replaces React Flow's node and edge elements,
// draws every box, and still answers clicks (select), Ctrl+click (add), Shift+drag (box selection), double-click
// and Enter (zoom in), with no serious accessibility violations.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { OVERVIEW_MIN_NODES } from "../../src/builder/overview-mode";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite } from "./support/browser-suite";
import { screenshot } from "./support/screenshots";
import { newAccount, signUpThroughUi } from "./support/ui-flows";

const NODE_COUNT = OVERVIEW_MIN_NODES + 40;
const COLUMNS = 20;
const COLUMN_PX = 260;
const ROW_PX = 120;
/** A zoomed-out card's size (CARD_WIDTH_PX × the plain box's height). */
const CARD = { width: 180, height: 58 };

const stepName = (i: number) => `step_${i}`;
const stepPosition = (i: number) => ({ x: (i % COLUMNS) * COLUMN_PX, y: Math.floor(i / COLUMNS) * ROW_PX });

/** start → step_1 … step_n → done, laid out in rows of COLUMNS. */
function largeFlowYaml(): string {
  const nodes = ["  - name: start", "    type: start"];
  const edges: string[] = [];
  const layout = ["  start: { x: 0, y: 0 }"];
  let previous = "start";
  for (let i = 1; i < NODE_COUNT - 1; i += 1) {
    const name = stepName(i);
    const { x, y } = stepPosition(i);
    nodes.push(`  - name: ${name}`, "    type: reply", "    config:", `      text: "Step ${i}"`);
    edges.push(`  - { from: ${previous}, to: ${name} }`);
    layout.push(`  ${name}: { x: ${x}, y: ${y} }`);
    previous = name;
  }
  const end = stepPosition(NODE_COUNT - 1);
  nodes.push("  - name: done", "    type: end", "    config:", '      reply: "Thanks!"');
  edges.push(`  - { from: ${previous}, to: done }`);
  layout.push(`  done: { x: ${end.x}, y: ${end.y} }`);
  return ["name: large_flow", "nodes:", ...nodes, "edges:", ...edges, "layout:", ...layout, ""].join("\n");
}

/** Page coordinates of a flow position, from React Flow's viewport transform. */
async function toPage(page: Page, flow: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const wrapper = await page.getByTestId("canvas").locator(".react-flow").boundingBox();
  const matrix = await page
    .locator(".react-flow__viewport")
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).toJSON() as DOMMatrixInit);
  if (!wrapper) throw new Error("the canvas is not on screen");
  return {
    x: wrapper.x + (matrix.e ?? 0) + (matrix.a ?? 1) * flow.x,
    y: wrapper.y + (matrix.f ?? 0) + (matrix.d ?? 1) * flow.y,
  };
}

const centreOf = (i: number) => {
  const { x, y } = stepPosition(i);
  return { x: x + CARD.width / 2, y: y + CARD.height / 2 };
};

/** The overview's pixel alpha at a page position (the canvas fills the React Flow wrapper). */
async function overviewAlpha(page: Page, at: { x: number; y: number }): Promise<number> {
  const canvas = page.getByTestId("canvas-overview");
  const frame = await canvas.boundingBox();
  if (!frame) throw new Error("no overview on screen");
  return canvas.evaluate(
    (el, p) => {
      const c = el as HTMLCanvasElement;
      const ratio = c.width / c.clientWidth;
      return c.getContext("2d")!.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1)
        .data[3]!;
    },
    { x: at.x - frame.x, y: at.y - frame.y },
  );
}

const selectedNames = (page: Page) =>
  page
    .locator(".fdb-node--selected")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-node-name")).sort());

describeBrowser("canvas overview of a large flow in Chromium", () => {
  const suite = useBrowserSuite();

  it("draws the zoomed-out flow on one canvas; click, Ctrl+click and Shift+drag select; double-click and Enter zoom in", async () => {
    const page = await suite.newPage();
    const account = newAccount("overview");
    await signUpThroughUi(page, account);
    const login = await suite.server.api<{ accessToken: string }>("POST", "/auth/login", {
      body: { email: account.email, password: account.password },
    });
    const created = await suite.server.api<{ id: string }>("POST", "/workflows", {
      token: login.body.accessToken,
      body: { yaml: largeFlowYaml() },
    });
    expect(created.status).toBe(201);
    await page.goto(`/flows/${created.body.id}`);

    // A large flow opens at 100 %: cards, no overview.
    await page.getByTestId("node-start").waitFor();
    expect(await page.getByTestId("canvas-overview").count()).toBe(0);

    // Zoomed out to the whole flow: the overview, and React Flow's node and edge layers out of rendering.
    await page.getByTestId("fit-view").click();
    const overview = page.getByTestId("canvas-overview");
    await overview.waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator(".react-flow__nodes").isVisible()).toBe(false);
    expect(await page.locator(".react-flow__edges").isVisible()).toBe(false);
    expect(await overview.getAttribute("aria-label")).toContain(`${NODE_COUNT} nodes`);
    // A box is painted where a node is, nothing in the gap between two rows.
    const target = 47;
    expect(await overviewAlpha(page, await toPage(page, centreOf(target)))).toBe(255);
    const gap = centreOf(target);
    expect(await overviewAlpha(page, await toPage(page, { x: gap.x, y: gap.y + ROW_PX / 2 }))).toBe(0);
    await screenshot(page, "builder-overview");
    expect(await seriousViolations(page)).toEqual([]);

    // A click on a box selects its node (the inspector shows it); Ctrl+click adds another; a click on empty
    // canvas clears the selection.
    const first = await toPage(page, centreOf(target));
    await page.mouse.click(first.x, first.y);
    await expect.poll(() => page.getByTestId("inspector-name").inputValue()).toBe(stepName(target));
    const second = await toPage(page, centreOf(target + 1));
    await page.keyboard.down("Control");
    await page.mouse.click(second.x, second.y);
    await page.keyboard.up("Control");
    await expect.poll(() => selectedNames(page)).toEqual([stepName(target), stepName(target + 1)].sort());
    await screenshot(page, "builder-overview-selection");
    const empty = await toPage(page, { x: -COLUMN_PX, y: -ROW_PX });
    await page.mouse.click(empty.x, empty.y);
    await expect.poll(() => selectedNames(page)).toEqual([]);
    // Shift+drag is React Flow's box selection, as on the cards (it reads node bounds, not elements).
    const boxFrom = await toPage(page, { x: COLUMN_PX - 20, y: -20 });
    const boxTo = await toPage(page, { x: 2 * COLUMN_PX + CARD.width + 20, y: CARD.height + 20 });
    await page.keyboard.down("Shift");
    await page.mouse.move(boxFrom.x, boxFrom.y);
    await page.mouse.down();
    await page.mouse.move(boxTo.x, boxTo.y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up("Shift");
    await expect.poll(() => selectedNames(page)).toEqual([stepName(1), stepName(2)]);

    // A double-click on a box zooms in on it: cards again, that one on screen.
    await page.mouse.dblclick(first.x, first.y);
    await overview.waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId(`node-${stepName(target)}`).isVisible()).toBe(true);

    // From the keyboard: the overview is one button; Enter zooms in on the selected node.
    await page.getByTestId("fit-view").click();
    await overview.waitFor();
    await page.waitForTimeout(300);
    const third = await toPage(page, centreOf(target + 40));
    await page.mouse.click(third.x, third.y);
    await expect.poll(() => page.getByTestId("inspector-name").inputValue()).toBe(stepName(target + 40));
    await overview.focus();
    await page.keyboard.press("Enter");
    await overview.waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId(`node-${stepName(target + 40)}`).isVisible()).toBe(true);
  });
});
