// Where a node added without a drop point (palette click, Enter on a palette item) goes: inside the part of
// the flow on screen, as near its middle as there is room, the way n8n and Dify add a node on click.
import type { LayoutPosition } from "@flowdeck/schemas";

/** A rectangle in flow coordinates (canvas pixels at 100 %). */
export interface FlowBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Space kept between the new card and the cards around it, and between it and the view's edge. */
export const FREE_MARGIN_PX = 20;
/** Candidate places per side of the view: fine enough to find a gap, few enough for 1,000 cards. */
const STEPS_PER_SIDE = 24;
/** When the view is full, the new card is offset this much from the middle so it never hides a card exactly. */
const CROWDED_NUDGE_PX = 24;

const overlaps = (a: FlowBox, b: FlowBox, margin: number) =>
  a.x < b.x + b.width + margin &&
  a.x + a.width + margin > b.x &&
  a.y < b.y + b.height + margin &&
  a.y + a.height + margin > b.y;

/**
 * The top-left corner for a card of `size` inside `view` that overlaps none of `cards`, nearest to the view's
 * middle. The search walks a grid over the view, so a full column of cards under the middle no longer sends
 * the card below the last of them, off screen (it used to move down past every card it met). When the view
 * has no room, the card goes near the middle anyway, nudged so it does not sit exactly on another card.
 */
export function freeSpot(
  view: FlowBox,
  cards: readonly FlowBox[],
  size: { readonly width: number; readonly height: number },
): LayoutPosition {
  const centre = {
    x: view.x + view.width / 2 - size.width / 2,
    y: view.y + view.height / 2 - size.height / 2,
  };
  const minX = view.x + FREE_MARGIN_PX;
  const maxX = view.x + view.width - size.width - FREE_MARGIN_PX;
  const minY = view.y + FREE_MARGIN_PX;
  const maxY = view.y + view.height - size.height - FREE_MARGIN_PX;
  // Only cards that reach into the view can be in the way of a place inside it.
  const nearby = cards.filter((card) => overlaps(card, view, FREE_MARGIN_PX));
  const candidates: LayoutPosition[] = [];
  if (maxX >= minX && maxY >= minY) {
    const stepX = Math.max(1, (maxX - minX) / STEPS_PER_SIDE);
    const stepY = Math.max(1, (maxY - minY) / STEPS_PER_SIDE);
    for (let x = minX; x <= maxX + 0.5; x += stepX) {
      for (let y = minY; y <= maxY + 0.5; y += stepY) candidates.push({ x, y });
    }
    // The middle itself first: in an empty view the card lands exactly there.
    candidates.push(centre);
  }
  const distance = (p: LayoutPosition) => (p.x - centre.x) ** 2 + (p.y - centre.y) ** 2;
  candidates.sort((a, b) => distance(a) - distance(b));
  const free = candidates.find((p) =>
    nearby.every((card) => !overlaps({ ...p, ...size }, card, FREE_MARGIN_PX)),
  );
  if (free) return { x: Math.round(free.x), y: Math.round(free.y) };
  let nudged = centre;
  const taken = (p: LayoutPosition) =>
    cards.some((card) => Math.abs(card.x - p.x) < 1 && Math.abs(card.y - p.y) < 1);
  for (let guard = 0; taken(nudged) && guard < 100; guard++) {
    nudged = { x: nudged.x + CROWDED_NUDGE_PX, y: nudged.y + CROWDED_NUDGE_PX };
  }
  return { x: Math.round(nudged.x), y: Math.round(nudged.y) };
}
