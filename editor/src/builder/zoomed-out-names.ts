// The name on a zoomed-out card. Below DETAIL_MIN_ZOOM a card is a plain box (node-card.tsx), and it used to be
// a blank one: a support lead fitting the support flow into a laptop window saw boxes and no names. The name now
// stays on the box at a size read on screen, counter-scaled like the edge labels, cut with an ellipsis to the
// box's width (never over a neighbour), and whole in the box's tooltip. Above that zoom a full card's name is
// kept at a size read on screen the same way (`cardName`), down to the card showing its name alone.
import { CARD_HEIGHT_PX } from "./canvas-elements";
import type { GraphNode } from "./graph-model";
import type { NodeMark } from "./session-store";

/** A plain box's name on screen, CSS pixels, at any zoom: the size of the edge labels and the diff's tags. */
export const ZOOMED_OUT_NAME_PX = 11;
/** Below this on screen a name is not read but guessed at; the box then shows no name (its tooltip still does). */
export const ZOOMED_OUT_NAME_MIN_PX = 10;
/** The name's line height in ems; builder.css `.fdb-node__plain-name` uses the same. */
export const ZOOMED_OUT_NAME_LINE = 1.2;
/** Height inside a plain box, flow pixels: the card less its 6 px category band and 1 px bottom border. */
export const PLAIN_BOX_ROOM_PX = CARD_HEIGHT_PX - 6 - 1;

export interface ZoomedOutName {
  /** The font size to set inside the zoomed canvas, flow pixels. */
  readonly fontPx: number;
  /** What that is on screen, CSS pixels. */
  readonly screenPx: number;
  /** False when not even the smallest readable line fits in the box at this zoom. */
  readonly shown: boolean;
}

/**
 * The name's size at `zoom`: ZOOMED_OUT_NAME_PX on screen while a line of it fits in the box; further out the
 * line shrinks with the box, and once it would be under ZOOMED_OUT_NAME_MIN_PX the name is left out rather than
 * drawn over the box's edges or its neighbours.
 */
export function zoomedOutName(zoom: number, roomPx: number = PLAIN_BOX_ROOM_PX): ZoomedOutName {
  const safeZoom = zoom > 0 ? zoom : Number.MIN_VALUE;
  const fontPx = Math.min(ZOOMED_OUT_NAME_PX / safeZoom, roomPx / ZOOMED_OUT_NAME_LINE);
  const screenPx = fontPx * safeZoom;
  // A hair of rounding slack: 10 px computed as 9.999… is still 10 px.
  return { fontPx, screenPx, shown: screenPx >= ZOOMED_OUT_NAME_MIN_PX - 1e-9 };
}

/** A full card's own name, CSS pixels (builder.css: the builder's 14 px text), read as is from ~79 % zoom up. */
export const CARD_NAME_PX = 14;
/**
 * The largest name, flow pixels, that a card's head row holds on its line (builder.css: 1.3rem, the icon's
 * height) beside the type line: a bigger one would clip its descenders or push the card taller on every zoom.
 */
export const CARD_HEAD_NAME_MAX_PX = 18;

export interface CardName {
  /** The name's font size inside the zoomed canvas, flow pixels. */
  readonly fontPx: number;
  /** What that is on screen, CSS pixels. */
  readonly screenPx: number;
  /**
   * True when the name no longer fits its head row: the card then shows only its name, over the card's top
   * (icon, type and summary lines hidden but kept in place, so the card keeps its size and its edges their ends).
   */
  readonly compact: boolean;
}

/**
 * A full card's name at `zoom` (at or above the detail zoom, where cards are not plain boxes): its own 14 px
 * while that reads at 11 px or more on screen, else counter-scaled to ZOOMED_OUT_NAME_PX like the plain boxes'
 * names and the edge labels. Between 40 % and 70 % a card's name read at 5.6 to 9.8 px beside 11 px labels.
 */
export function cardName(zoom: number): CardName {
  const safeZoom = zoom > 0 ? zoom : Number.MIN_VALUE;
  const fontPx = Math.max(CARD_NAME_PX, ZOOMED_OUT_NAME_PX / safeZoom);
  return { fontPx, screenPx: fontPx * safeZoom, compact: fontPx > CARD_HEAD_NAME_MAX_PX + 1e-9 };
}

/**
 * The plain box's tooltip: the whole name (the box may show it cut), its type (the box has no type line) and a
 * diff's mark in words.
 */
export function plainBoxTitle(
  node: Pick<GraphNode, "name" | "title" | "type" | "knownType">,
  mark?: NodeMark,
): string {
  const type = node.knownType ? node.title : `unknown type "${node.type}"`;
  return `${mark ? `${mark}: ` : ""}${node.name} (${type})`;
}

/**
 * A full card's tooltip: what a plain box's says (the card may show its name cut, and zoomed out only its name),
 * then its summary, its description and its first problem, each on a line of its own.
 */
export function cardTitle(
  node: Pick<GraphNode, "name" | "title" | "type" | "knownType" | "summary" | "description" | "firstProblem">,
  mark?: NodeMark,
): string {
  return [plainBoxTitle(node, mark), node.summary, node.description, node.firstProblem]
    .filter((line): line is string => typeof line === "string" && line !== "")
    .join("\n");
}
