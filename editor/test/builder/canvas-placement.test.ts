// Where the canvas puts things a first-time user meets: a node added by a palette click lands in free space
// on screen; nodes without a stored position stay where they were shown when edges change; "Fit" keeps every
// card inside a padding and the readable fallback does not cut the flow's first row.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FIT_MIN_ZOOM,
  FIT_PADDING_PX,
  FIT_VIEW_OPTIONS,
  fitMinZoomFor,
  fitViewport,
  readableViewport,
} from "../../src/builder/canvas-fit";
import { OVERVIEW_MIN_NODES } from "../../src/builder/overview-mode";
import { createDocumentStore } from "../../src/builder/document-store";
import { FREE_MARGIN_PX, freeSpot, type FlowBox } from "../../src/builder/free-spot";
import { deriveGraph } from "../../src/builder/graph-model";
import { catalog, validator } from "./builder-fixtures";

const CARD = { width: 180, height: 64 };
const overlap = (a: FlowBox, b: FlowBox) =>
  a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
const inside = (box: FlowBox, view: FlowBox) =>
  box.x >= view.x &&
  box.y >= view.y &&
  box.x + box.width <= view.x + view.width &&
  box.y + box.height <= view.y + view.height;

describe("a node added by a palette click", () => {
  // The support flow's subflow column (x 520, one card every 120 px) under the middle of a 1,600 × 1,100 view.
  const column: FlowBox[] = Array.from({ length: 9 }, (_, i) => ({
    x: 520,
    y: i * 120,
    width: 180,
    height: 58,
  }));
  const view: FlowBox = { x: -190, y: -60, width: 1600, height: 1100 };

  it("lands inside the view, on no card, near the middle, even when a column of cards runs through it", () => {
    const at = freeSpot(view, column, CARD);
    const box = { ...at, ...CARD };
    expect(inside(box, view)).toBe(true);
    expect(column.some((card) => overlap(box, card))).toBe(false);
    // Beside the column, not below its last card (y 960 + 58, the edge of the view): the old search walked down
    // the column card by card and ended off screen.
    expect(box.y + box.height).toBeLessThan(view.y + view.height * 0.75);
    const middle = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
    expect(Math.hypot(at.x + CARD.width / 2 - middle.x, at.y + CARD.height / 2 - middle.y)).toBeLessThan(400);
  });

  it("lands exactly in the middle of an empty view", () => {
    expect(freeSpot({ x: 0, y: 0, width: 1000, height: 600 }, [], CARD)).toEqual({ x: 410, y: 268 });
  });

  it("keeps its margin from the cards around it", () => {
    const at = freeSpot(view, column, CARD);
    for (const card of column) {
      const apart =
        at.x >= card.x + card.width + FREE_MARGIN_PX ||
        at.x + CARD.width + FREE_MARGIN_PX <= card.x ||
        at.y >= card.y + card.height + FREE_MARGIN_PX ||
        at.y + CARD.height + FREE_MARGIN_PX <= card.y;
      expect(apart).toBe(true);
    }
  });

  it("in a view with no room, lands near the middle but never exactly on another card", () => {
    const small: FlowBox = { x: 0, y: 0, width: 300, height: 200 };
    const centred = { x: 60, y: 68 };
    const full = [{ ...centred, ...CARD }];
    const at = freeSpot(small, full, CARD);
    expect(at).not.toEqual(centred);
    expect(Math.hypot(at.x - centred.x, at.y - centred.y)).toBeLessThan(60);
  });
});

const UNPLACED = `name: unplaced
nodes:
  - { name: start, type: start }
  - { name: hello, type: reply, config: { text: Hi } }
  - { name: bye, type: end }
edges:
  - { from: start, to: hello }
`;

const positions = (store: ReturnType<typeof createDocumentStore>) =>
  Object.fromEntries(store.getState().graph.nodes.map((n) => [n.name, n.position]));

describe("nodes without a stored position", () => {
  const open = (text = UNPLACED) => createDocumentStore({ initialText: text, catalog, validator });

  it("keep the place they were shown at when the user connects two of them", () => {
    const store = open();
    const before = positions(store);
    // Computed at first: hello next to start, bye (no parent yet) below start.
    expect(before.hello).toEqual({ x: 260, y: 0 });
    expect(before.bye).toEqual({ x: 0, y: 120 });
    expect(store.getState().applyEdits([{ kind: "add-edge", edge: { from: "hello", to: "bye" } }])).toBe(
      true,
    );
    expect(positions(store)).toEqual(before);
    // Nothing was written: the places are still computed, not stored.
    expect(store.getState().text).not.toContain("layout");
    expect(store.getState().graph.nodes.every((n) => !n.placed)).toBe(true);
    // Undo of the edge moves nothing either.
    store.getState().undo();
    expect(positions(store)).toEqual(before);
  });

  it("still gives a node new to the canvas a place next to its parent", () => {
    const store = open();
    store
      .getState()
      .setText(
        UNPLACED.replace(
          "edges:\n",
          "  - { name: later, type: end }\nedges:\n  - { from: hello, to: later }\n",
        ),
      );
    const shown = positions(store);
    expect(shown.later).toEqual({ x: 520, y: 0 });
    expect(shown.bye).toEqual({ x: 0, y: 120 });
  });

  it("keep their place when renamed", () => {
    const store = open();
    const before = positions(store);
    expect(store.getState().applyEdits([{ kind: "rename-node", from: "bye", to: "goodbye" }])).toBe(true);
    expect(positions(store).goodbye).toEqual(before.bye);
  });

  it("are laid out afresh when the workflow is opened again (a new store)", () => {
    const connected = UNPLACED.replace("edges:\n", "edges:\n  - { from: hello, to: bye }\n");
    expect(positions(open(connected)).bye).toEqual({ x: 520, y: 0 });
    expect(deriveGraph(undefined, [], catalog).nodes).toEqual([]);
  });
});

const SEED = readFileSync(
  new URL("../../../workflows/customer_support_workflow.yaml", import.meta.url),
  "utf8",
);

/** The seed support flow's cards as the canvas measures them (the router is tall with its ten branches). */
function supportFlow() {
  const graph = createDocumentStore({ initialText: SEED, catalog, validator }).getState().graph;
  const boxes = graph.nodes.map((n) => ({
    ...n.position,
    width: 180,
    height: n.name === "classify_intent" ? 250 : 58,
  }));
  const bounds = {
    x: Math.min(...boxes.map((b) => b.x)),
    y: Math.min(...boxes.map((b) => b.y)),
    width: Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x)),
    height: Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y)),
  };
  return { bounds, start: boxes[graph.nodes.findIndex((n) => n.name === "start")]! };
}

describe("fitting the flow to the canvas", () => {
  it("fits with a padding in screen pixels, and counts cards that were never on screen", () => {
    expect(FIT_VIEW_OPTIONS.padding).toEqual({ top: "40px", right: "40px", bottom: "40px", left: "64px" });
    expect(FIT_VIEW_OPTIONS.includeHiddenNodes).toBe(true);
  });

  it("at the readable zoom, shows the support flow's first row and column whole instead of cutting them", () => {
    const { bounds, start } = supportFlow();
    const pane = { width: 890, height: 632 };
    const view = readableViewport(bounds, start, pane, 0.7);
    expect(view.zoom).toBe(0.7);
    // The top row (faq_flow, y 0) and the start node (x 0) start inside the padding, not above or left of it.
    expect(bounds.y * view.zoom + view.y).toBe(FIT_PADDING_PX.top);
    expect(bounds.x * view.zoom + view.x).toBe(FIT_PADDING_PX.left);
    // Before, the start node was put at a fixed point (80, 240): faq_flow's top was at 240 - 360 × 0.7 = -12.
  });

  it("centres a flow that fits at the readable zoom", () => {
    const view = readableViewport(
      { x: 0, y: 0, width: 400, height: 200 },
      { x: 0, y: 80, width: 180, height: 58 },
      { width: 1000, height: 600 },
      0.7,
    );
    expect(view).toEqual({ x: (1000 - 280) / 2, y: (600 - 140) / 2, zoom: 0.7 });
  });
});

describe("Fit, which stops at a zoom where plain boxes still carry their names", () => {
  const { bounds, start } = supportFlow();
  const CANVAS_ZOOM_RANGE = { min: 0.05, max: 2 };
  /** Screen pixels between each side of the flow and the pane's edge at `view`. */
  const margins = (
    view: { x: number; y: number; zoom: number },
    pane: { width: number; height: number },
  ) => ({
    left: bounds.x * view.zoom + view.x,
    top: bounds.y * view.zoom + view.y,
    right: pane.width - ((bounds.x + bounds.width) * view.zoom + view.x),
    bottom: pane.height - ((bounds.y + bounds.height) * view.zoom + view.y),
  });

  it("shows the whole support flow inside the padding when that zoom is readable (a 1,440 × 900 window)", () => {
    const pane = { width: 890, height: 632 };
    const view = fitViewport(bounds, start, pane, FIT_MIN_ZOOM, CANVAS_ZOOM_RANGE);
    expect(view.zoom).toBeGreaterThanOrEqual(FIT_MIN_ZOOM);
    const m = margins(view, pane);
    expect(m.left).toBeGreaterThanOrEqual(FIT_PADDING_PX.left - 1e-6);
    expect(m.top).toBeGreaterThanOrEqual(FIT_PADDING_PX.top - 1e-6);
    expect(m.right).toBeGreaterThanOrEqual(FIT_PADDING_PX.right - 1e-6);
    expect(m.bottom).toBeGreaterThanOrEqual(FIT_PADDING_PX.bottom - 1e-6);
  });

  it("in a 900 × 600 window stops at 30 % around the start node, the flow's first row on screen", () => {
    // The canvas of a 900 × 600 window; fitting all of the flow there took 23 %, where boxes were blank.
    const pane = { width: 515, height: 313 };
    const view = fitViewport(bounds, start, pane, FIT_MIN_ZOOM, CANVAS_ZOOM_RANGE);
    expect(view.zoom).toBe(FIT_MIN_ZOOM);
    expect(view).toEqual(readableViewport(bounds, start, pane, FIT_MIN_ZOOM));
    const m = margins(view, pane);
    // Centred on the start node, which puts the first row a hair above the padding, not past the pane's edge.
    expect(m.top).toBeGreaterThan(0);
    expect(m.top).toBeLessThanOrEqual(FIT_PADDING_PX.top);
    // Its width fits at 30 %, so it is centred across; only the last row is left below the view.
    expect(m.left).toBeCloseTo(m.right, 6);
    expect(m.bottom).toBeLessThan(0);
  });

  it("fits the whole flow however far out when the floor is 0, as a read-only picture does", () => {
    const pane = { width: 515, height: 313 };
    const view = fitViewport(bounds, start, pane, 0, CANVAS_ZOOM_RANGE);
    expect(view.zoom).toBeLessThan(FIT_MIN_ZOOM);
    const m = margins(view, pane);
    expect(Math.min(m.top, m.bottom)).toBeCloseTo(FIT_PADDING_PX.top, 6);
    expect(m.left).toBeGreaterThanOrEqual(FIT_PADDING_PX.left - 1e-6);
    expect(m.right).toBeGreaterThanOrEqual(FIT_PADDING_PX.right - 1e-6);
  });

  it("stops at 30 % for a flow drawn as named boxes, but shows all of a flow the overview draws, which has no names", () => {
    expect(fitMinZoomFor(15)).toBe(FIT_MIN_ZOOM);
    expect(fitMinZoomFor(OVERVIEW_MIN_NODES - 1)).toBe(FIT_MIN_ZOOM);
    expect(fitMinZoomFor(OVERVIEW_MIN_NODES)).toBe(0);
    expect(fitMinZoomFor(1000)).toBe(0);
  });

  it("never zooms a small flow in past 100 %", () => {
    const small = { x: 0, y: 0, width: 180, height: 58 };
    const view = fitViewport(small, small, { width: 1000, height: 600 }, FIT_MIN_ZOOM, CANVAS_ZOOM_RANGE);
    expect(view.zoom).toBe(1);
  });
});
