import type { Viewport } from "@xyflow/react";
import type { OverviewBox, OverviewEdgeStyle, OverviewGeometry } from "./overview-geometry";

/** Colours of the overview, read from the same CSS custom properties the cards and React Flow's edges use. */
export interface OverviewPalette {
  category(name: string): string;
  readonly fill: string;
  readonly border: string;
  readonly error: string;
  readonly accent: string;
  readonly edges: Readonly<Record<OverviewEdgeStyle, string>>;
}

/** The geometry with its edge paths parsed once, so a frame only strokes them. */
export interface PreparedOverview {
  readonly boxes: readonly OverviewBox[];
  readonly edgePaths: ReadonlyArray<readonly [OverviewEdgeStyle, Path2D]>;
}

/** A zoomed-out card's coloured top band, in flow units (builder.css: `.fdb-node--simple`). */
const BAND_HEIGHT = 6;
/** However far out, a band, an edge and an outline stay at least this many CSS pixels wide. */
const MIN_BAND_PX = 2;
const MIN_LINE_PX = 1;
const SELECTED_OUTLINE_PX = 2;
/** An error-port edge's dashes, in CSS pixels. */
const DASH_PX = [4, 3];

export function readOverviewPalette(element: Element): OverviewPalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const tools = read("--fdb-tools", "#5b6472");
  const categories = new Map<string, string>();
  const error = read("--fdb-error", "#b3261e");
  return {
    category(name) {
      let colour = categories.get(name);
      if (colour === undefined) {
        colour = read(`--fdb-${name}`, tools);
        categories.set(name, colour);
      }
      return colour;
    },
    fill: "#fff",
    border: read("--fdb-border", "#d4d7dd"),
    error,
    accent: read("--fdb-accent", "#2457c5"),
    edges: {
      plain: read("--xy-edge-stroke-default", "#b1b1b7"),
      conditional: read("--fdb-logic", "#b06f10"),
      "error-port": error,
      problem: error,
      selected: read("--xy-edge-stroke-selected-default", "#555"),
    },
  };
}

export function prepareOverview(geometry: OverviewGeometry): PreparedOverview {
  return {
    boxes: geometry.boxes,
    edgePaths: [...geometry.edgePaths].map(([style, d]) => [style, new Path2D(d)] as const),
  };
}

/**
 * Draws the flow as React Flow would show it at `viewport`: edges, then boxes with their category band, error
 * outline and selection ring. Boxes off screen are skipped; edges are few paths, clipped by the canvas.
 */
export function paintOverview(
  context: CanvasRenderingContext2D,
  overview: PreparedOverview,
  palette: OverviewPalette,
  viewport: Viewport,
  size: { readonly widthPx: number; readonly heightPx: number },
  pixelRatio: number,
): void {
  const { x, y, zoom } = viewport;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  context.setTransform(pixelRatio * zoom, 0, 0, pixelRatio * zoom, pixelRatio * x, pixelRatio * y);
  /** One CSS pixel in flow units. */
  const px = 1 / zoom;

  for (const [style, path] of overview.edgePaths) {
    context.strokeStyle = palette.edges[style];
    context.lineWidth = Math.max(style === "problem" || style === "selected" ? 2 : 1, MIN_LINE_PX * px);
    context.setLineDash(style === "error-port" ? DASH_PX.map((d) => d * px) : []);
    context.stroke(path);
  }
  context.setLineDash([]);

  const left = -x * px;
  const top = -y * px;
  const right = left + size.widthPx * px;
  const bottom = top + size.heightPx * px;
  const cards = new Path2D();
  const bands = new Map<string, Path2D>();
  const errors = new Path2D();
  const selected = new Path2D();
  const band = Math.max(BAND_HEIGHT, MIN_BAND_PX * px);
  const ring = (SELECTED_OUTLINE_PX / 2) * px;
  for (const box of overview.boxes) {
    if (box.x > right || box.y > bottom || box.x + box.width < left || box.y + box.height < top) continue;
    cards.rect(box.x, box.y, box.width, box.height);
    let bandPath = bands.get(box.category);
    if (!bandPath) {
      bandPath = new Path2D();
      bands.set(box.category, bandPath);
    }
    bandPath.rect(box.x, box.y, box.width, Math.min(band, box.height));
    if (box.status === "error") errors.rect(box.x, box.y, box.width, box.height);
    if (box.selected) selected.rect(box.x - ring, box.y - ring, box.width + 2 * ring, box.height + 2 * ring);
  }
  context.fillStyle = palette.fill;
  context.fill(cards);
  context.strokeStyle = palette.border;
  context.lineWidth = MIN_LINE_PX * px;
  context.stroke(cards);
  for (const [category, path] of bands) {
    context.fillStyle = palette.category(category);
    context.fill(path);
  }
  context.strokeStyle = palette.error;
  context.lineWidth = Math.max(1, 1.5 * px);
  context.stroke(errors);
  context.strokeStyle = palette.accent;
  context.lineWidth = SELECTED_OUTLINE_PX * px;
  context.stroke(selected);
}
