// The canvas as a first-time user meets it, in Chromium against a real server: the seed support flow fitted
// with every card inside the pane and every visible edge label on its own edge and saying what its condition
// tests; a palette click adds a selected node inside the view (it used to land below the last card of a column,
// off screen); nodes without a stored position stay put when two of them are connected; in a small window Fit
// stops where the plain boxes of a zoomed-out flow still carry their names, read at 11 px on screen and cut to
// their box (they were blank); and a publish diff zoomed out so far that cards are plain boxes still names each
// changed node.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility";
import { describeBrowser, useBrowserSuite, type BrowserSuite } from "./support/browser-suite";
import { box, settled } from "./support/canvas-probes";
import { screenshot } from "./support/screenshots";
import { newAccount, signInThroughUi } from "./support/ui-flows";

const HERE = dirname(fileURLToPath(import.meta.url));
const SEED = readFileSync(
  join(HERE, "..", "..", "..", "workflows", "customer_support_workflow.yaml"),
  "utf8",
);
const SAVE_TIMEOUT_MS = 15_000;

const UNPLACED = `name: unplaced
nodes:
  - { name: start, type: start }
  - { name: hello, type: reply, config: { text: Hi } }
  - { name: bye, type: end }
edges:
  - { from: start, to: hello }
`;

interface Opened {
  readonly page: Page;
  readonly id: string;
  readonly token: string;
  savedYaml(): Promise<string>;
}

async function openFlow(suite: BrowserSuite, yaml: string, publish = false): Promise<Opened> {
  const account = newAccount("canvas");
  const registered = await suite.server.api<{ accessToken: string }>("POST", "/auth/register", {
    body: { tenantName: account.tenantName, email: account.email, password: account.password },
  });
  const token = registered.body.accessToken;
  const created = await suite.server.api<{ id: string }>("POST", "/workflows", { token, body: { yaml } });
  expect(created.status).toBe(201);
  const id = created.body.id;
  if (publish) {
    const published = await suite.server.api("POST", `/workflows/${id}/publish`, { token, body: {} });
    expect(published.status).toBe(201);
  }
  const page = await suite.newPage();
  await signInThroughUi(page, account.email, account.password);
  await page.goto(`/flows/${id}`);
  await page.getByTestId("workflow-builder").waitFor();
  const savedYaml = async () =>
    (await suite.server.api<{ yaml: string }>("GET", `/workflows/${id}`, { token })).body.yaml;
  return { page, id, token, savedYaml };
}

/** Cards not wholly inside the canvas, less `margin` screen pixels on every side. */
const cardsOutside = (page: Page, margin: number) =>
  page.evaluate((inset) => {
    const pane = document.querySelector(".fdb-canvas")!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>(".react-flow__node")]
      .filter((node) => {
        const r = node.getBoundingClientRect();
        return (
          r.left < pane.left + inset ||
          r.right > pane.right - inset ||
          r.top < pane.top + inset ||
          r.bottom > pane.bottom - inset
        );
      })
      .map((node) => node.dataset.id);
  }, margin);

/**
 * Shown edge labels further than this (screen px) from their own edge's line. A label may sit beside its line
 * or a little below it when its place is crowded; the router's labels used to be ~150 px away.
 */
const FAR_PX = 40;

/** The shown edge labels, those far from their own edge's line, and how many pairs overlap. */
const labelReport = (page: Page) =>
  page.evaluate((farPx) => {
    const shown = [...document.querySelectorAll<HTMLElement>(".fdb-edge-label")].filter(
      (label) => label.style.visibility !== "hidden",
    );
    const rects = shown.map((label) => label.getBoundingClientRect());
    const far = shown.flatMap((label, i) => {
      const id = label.dataset.testid!.replace("edge-label-", "");
      const path = document.querySelector<SVGPathElement>(
        `.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`,
      )!;
      const matrix = path.getScreenCTM()!;
      const length = path.getTotalLength();
      const r = rects[i]!;
      let nearest = Infinity;
      for (let step = 0; step <= 200; step++) {
        const p = path.getPointAtLength((length * step) / 200);
        const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
        const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        nearest = Math.min(
          nearest,
          Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom)),
        );
      }
      return nearest > farPx ? [`${label.textContent} (${id}) ${Math.round(nearest)} px`] : [];
    });
    let overlapping = 0;
    rects.forEach((a, i) =>
      rects.slice(i + 1).forEach((b) => {
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          overlapping += 1;
      }),
    );
    return { shown: shown.length, far, overlapping };
  }, FAR_PX);

/** The canvas's zoom, from React Flow's viewport transform. */
const zoomOf = (root: Locator) =>
  root
    .locator(".react-flow__viewport")
    .evaluate((viewport) => new DOMMatrix(getComputedStyle(viewport).transform).a);

/**
 * Every plain box wholly inside the canvas: the name it shows, its size on screen, whether it stays inside its
 * box, whether it is cut, and the box's tooltip.
 */
const plainNames = (root: Locator) =>
  root.evaluate((canvas) => {
    const pane = canvas.getBoundingClientRect();
    const zoom = new DOMMatrix(getComputedStyle(canvas.querySelector(".react-flow__viewport")!).transform).a;
    return [...canvas.querySelectorAll<HTMLElement>(".fdb-node--simple")].flatMap((card) => {
      const box = card.getBoundingClientRect();
      if (box.left < pane.left || box.right > pane.right || box.top < pane.top || box.bottom > pane.bottom)
        return [];
      const name = card.querySelector<HTMLElement>(".fdb-node__plain-name");
      const text = name?.getBoundingClientRect();
      return [
        {
          node: card.dataset.nodeName!,
          shown: name?.textContent ?? "",
          visible: Boolean(name && getComputedStyle(name).display !== "none" && text!.width > 0),
          screenPx: name ? parseFloat(getComputedStyle(name).fontSize) * zoom : 0,
          inside: Boolean(
            text &&
            text.left >= box.left - 0.5 &&
            text.right <= box.right + 0.5 &&
            text.top >= box.top - 0.5 &&
            text.bottom <= box.bottom + 0.5,
          ),
          cut: Boolean(name && name.scrollWidth > name.clientWidth),
          title: card.title,
        },
      ];
    });
  });

describeBrowser("the canvas a first-time user meets", () => {
  const suite = useBrowserSuite();

  it("fits the support flow inside a padding, labels edges on their edges with what they test, and adds a clicked palette node in view", async () => {
    const { page } = await openFlow(suite, SEED);
    await page.getByTestId("node-classify_intent").waitFor();
    await settled(page.getByTestId("node-start"));

    await page.getByRole("button", { name: "Fit", exact: true }).click();
    await expect.poll(() => cardsOutside(page, 30)).toEqual([]);
    expect(await page.locator(".react-flow__node").count()).toBe(15);

    // Conditions read as what they test, the whole CEL in the tooltip; no label just says "condition".
    const labels = await page.locator(".fdb-edge-label").allTextContents();
    expect(labels).toContain("outcome = escalated");
    expect(labels).toContain("faq");
    expect(labels).not.toContain("condition");
    // e11 is the seed's { from: faq_flow, to: escalated, condition: "output.outcome == 'escalated'" }.
    expect(await page.getByTestId("edge-label-e11").getAttribute("title")).toBe(
      "output.outcome == 'escalated'",
    );
    expect(await page.getByTestId("edge-label-e1").getAttribute("title")).toBe("faq: output.route == 'faq'");

    // Each label that is shown touches its own edge (the router's were pushed below the cards, next to other
    // edges), and none covers another.
    await expect.poll(async () => (await labelReport(page)).far).toEqual([]);
    const report = await labelReport(page);
    expect(report.overlapping).toBe(0);
    expect(report.shown).toBeGreaterThan(20);
    await screenshot(page, "canvas-support-fit");
    expect(await seriousViolations(page)).toEqual([]);

    // A palette click: a selected node, wholly inside the view.
    await page.getByTestId("palette-item-reply").click();
    const added = page.getByTestId("node-reply");
    await added.waitFor();
    await expect.poll(() => page.locator(".react-flow__node.selected").getAttribute("data-id")).toBe("reply");
    const pane = await box(page.getByTestId("canvas"));
    const card = await box(added);
    expect(card.x).toBeGreaterThanOrEqual(pane.x);
    expect(card.y).toBeGreaterThanOrEqual(pane.y);
    expect(card.x + card.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(card.y + card.height).toBeLessThanOrEqual(pane.y + pane.height);
    await screenshot(page, "canvas-palette-click");
  }, 120_000);

  it("in a 900 × 600 window, Fit stops where zoomed-out cards still name their nodes, legibly and inside their boxes", async () => {
    const { page } = await openFlow(suite, SEED);
    await page.setViewportSize({ width: 900, height: 600 });
    await page.getByTestId("node-classify_intent").waitFor();
    await settled(page.getByTestId("node-start"));
    const canvas = page.getByTestId("canvas");

    await page.getByRole("button", { name: "Fit", exact: true }).click();
    // Fitting all of the flow here took 23 %, where the boxes were blank; Fit now stops at 30 %.
    await expect.poll(() => zoomOf(canvas)).toBeCloseTo(0.3, 3);
    await settled(page.getByTestId("node-start"));
    // Every card on screen is a plain box (the last row is below the view and not rendered).
    const onScreen = await canvas.locator(".react-flow__node").count();
    expect(onScreen).toBeGreaterThanOrEqual(12);
    expect(await canvas.locator(".fdb-node--simple").count()).toBe(onScreen);
    // The start of the flow is on screen: the start node, the router and the first row.
    expect(await cardsOutside(page, 0)).not.toContain("start");
    expect(await cardsOutside(page, 0)).not.toContain("classify_intent");
    expect(await cardsOutside(page, 0)).not.toContain("faq_flow");

    const names = await plainNames(canvas);
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const name of names) {
      expect(name.shown).toBe(name.node);
      expect(name.visible).toBe(true);
      // Read at 11 px on screen at 30 %, where the card's own 14 px text would be 4 px.
      expect(name.screenPx).toBeGreaterThanOrEqual(10);
      // Cut at its box's edge rather than run over the next card; the whole name is the box's tooltip.
      expect(name.inside).toBe(true);
      expect(name.title).toContain(name.node);
    }
    const router = names.find((name) => name.node === "classify_intent");
    expect(router?.cut).toBe(true);
    expect(router?.title).toBe("classify_intent (Router)");
    // Edges have no labels out here; a router's branches keep their colour in a stroke one screen pixel wide.
    expect(
      await canvas
        .locator(".react-flow__edge.fdb-edge--conditional path.react-flow__edge-path")
        .first()
        .evaluate((path) => getComputedStyle(path).vectorEffect),
    ).toBe("non-scaling-stroke");
    await screenshot(page, "canvas-small-window-fit");
    expect(await seriousViolations(page)).toEqual([]);

    // The zoom controls' Fit does the same; zooming out further by hand still works, and the names go once
    // their line no longer fits a box at 10 px.
    await page.getByRole("button", { name: "Zoom Out" }).click();
    await page.getByRole("button", { name: "Zoom Out" }).click();
    await expect.poll(() => zoomOf(canvas)).toBeLessThan(0.22);
    await expect.poll(async () => (await plainNames(canvas)).some((name) => name.visible)).toBe(false);
    await page.getByRole("button", { name: "Fit the flow in view" }).click();
    await expect.poll(() => zoomOf(canvas)).toBeCloseTo(0.3, 3);
  }, 120_000);

  it("keeps nodes without a stored position where they are when two of them are connected", async () => {
    const opened = await openFlow(suite, UNPLACED);
    const { page } = opened;
    await page.getByTestId("node-bye").waitFor();
    await settled(page.getByTestId("node-bye"));
    const where = async () =>
      Object.fromEntries(
        await Promise.all(
          ["start", "hello", "bye"].map(async (name) => [name, await box(page.getByTestId(`node-${name}`))]),
        ),
      );
    const before = await where();

    const source = await box(page.getByTestId("handle-hello-out"));
    const target = await box(page.locator('.react-flow__node[data-id="bye"] .react-flow__handle.target'));
    await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
    await page.mouse.down();
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();

    await expect
      .poll(() => opened.savedYaml(), { timeout: SAVE_TIMEOUT_MS, interval: 250 })
      .toContain("{ from: hello, to: bye }");
    // The layout would have put bye next to hello now; it stays where it was shown, and nothing was stored.
    expect(await where()).toEqual(before);
    expect(await opened.savedYaml()).not.toContain("layout:");
  }, 90_000);

  it("names every changed node of a publish diff zoomed out to plain boxes", async () => {
    const opened = await openFlow(suite, SEED, true);
    const { page } = opened;
    await page.setViewportSize({ width: 1280, height: 720 });
    const draft = SEED.replace("confidence_threshold: 0.55", "confidence_threshold: 0.6").replace(
      "      outcome: unresolved\n",
      "      outcome: unresolved\n    description: Ends without an answer\n",
    );
    const saved = await suite.server.api("PUT", `/workflows/${opened.id}/draft`, {
      token: opened.token,
      body: { yaml: draft },
      headers: { "if-match": `"${opened.id}.1"` },
    });
    expect(saved.status).toBe(200);
    await page.reload();
    await page.getByTestId("node-start").waitFor();
    await page.getByTestId("publish-open").click();
    const dialog = page.getByTestId("publish-dialog");
    await dialog.getByTestId("diff-view").waitFor();
    // The dialog's canvas is short: the seed fits only below the zoom where cards turn into plain boxes.
    await expect.poll(() => dialog.locator(".fdb-node--simple").count()).toBeGreaterThan(10);
    for (const name of ["classify_intent", "unresolved"]) {
      const tag = dialog.getByTestId(`node-mark-${name}`);
      await tag.waitFor();
      expect(await tag.innerText()).toMatch(new RegExp(`changed\\s+${name}`, "i"));
      const size = await box(tag);
      // Readable: it keeps its size on screen however far the picture is zoomed out.
      expect(size.height).toBeGreaterThanOrEqual(14);
    }
    expect(await dialog.getByTestId("node-mark-faq_flow").count()).toBe(0);
    // The picture fits the whole version (no Fit floor there), and its boxes that have room still name their
    // nodes: the router's name sits in its box under the tag.
    const pictured = await plainNames(dialog.getByTestId("canvas"));
    const router = pictured.find((name) => name.node === "classify_intent");
    expect(router?.visible).toBe(true);
    expect(router?.screenPx).toBeGreaterThanOrEqual(10);
    expect(router?.title).toBe("changed: classify_intent (Router)");
    await screenshot(page, "publish-diff-zoomed-out");
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
