// Where an edge's label goes along its edge. The middle of an edge is a poor default on a router: its ten edges
// leave one card within a few pixels of each other, so their middles crowd one narrow column, and the labels
// were pushed down below each other and the cards, far from their edges. A label now sits nearer the end of
// its edge that has fewer labelled neighbours, and slides along its own edge to the first free place.
import type { GraphEdge } from "./graph-model";

/** Which end of its edge a label is drawn nearer. */
export type LabelEnd = "source" | "target" | "middle";

export interface Offset {
  readonly dx: number;
  readonly dy: number;
}

export interface ScreenRect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Fractions along the edge (0 = source, 1 = target) tried in this order; the first is preferred. */
const TRIES: Record<LabelEnd, readonly number[]> = {
  target: [0.75, 0.65, 0.85, 0.55, 0.45, 0.35, 0.25],
  source: [0.25, 0.35, 0.15, 0.45, 0.55, 0.65, 0.75],
  middle: [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8],
};

/**
 * Per edge id: the end with fewer labelled edges around it. A router's branches fan out (ten labels leave one
 * card, one arrives at each target), so theirs go near the target; many "escalated" edges into one end node
 * go near their sources.
 */
export function labelEnds(
  edges: readonly GraphEdge[],
  hasLabel: (edge: GraphEdge) => boolean,
): Map<string, LabelEnd> {
  const out = new Map<string, number>();
  const into = new Map<string, number>();
  for (const edge of edges) {
    if (!hasLabel(edge)) continue;
    out.set(edge.source, (out.get(edge.source) ?? 0) + 1);
    into.set(edge.target, (into.get(edge.target) ?? 0) + 1);
  }
  const ends = new Map<string, LabelEnd>();
  for (const edge of edges) {
    const leaving = out.get(edge.source) ?? 0;
    const arriving = into.get(edge.target) ?? 0;
    ends.set(edge.id, leaving > arriving ? "target" : arriving > leaving ? "source" : "middle");
  }
  return ends;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

/** A point of the cubic bezier `M p0 C p1 p2 p3` (React Flow's `getBezierPath`) at fraction `t`. */
function bezierAt(points: readonly number[], t: number): { x: number; y: number } {
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return {
    x: a * points[0]! + b * points[2]! + c * points[4]! + d * points[6]!,
    y: a * points[1]! + b * points[3]! + c * points[5]! + d * points[7]!,
  };
}

/**
 * Where the label may go, as offsets (flow pixels) from the edge's middle, which is where React Flow's label
 * point is: first the preferred place for `end`, then the others along the edge. A path that is not one cubic
 * bezier keeps its label at the middle.
 */
export function labelOffsets(path: string, end: LabelEnd): Offset[] {
  const points = (path.match(NUMBER) ?? []).map(Number);
  if (points.length !== 8 || points.some((n) => !Number.isFinite(n))) return [{ dx: 0, dy: 0 }];
  const middle = bezierAt(points, 0.5);
  return TRIES[end].map((t) => {
    const at = bezierAt(points, t);
    return { dx: Math.round((at.x - middle.x) * 10) / 10, dy: Math.round((at.y - middle.y) * 10) / 10 };
  });
}

const shifted = (rect: ScreenRect, { dx, dy }: Offset): ScreenRect => ({
  left: rect.left + dx,
  right: rect.right + dx,
  top: rect.top + dy,
  bottom: rect.bottom + dy,
});

const meets = (a: ScreenRect, b: ScreenRect, gap: number) =>
  a.left < b.right + gap && a.right > b.left - gap && a.top < b.bottom + gap && a.bottom > b.top - gap;

/** How much of `a` lies over the rectangles (screen px²): a label half over a card's border beats one far away. */
const covered = (a: ScreenRect, others: readonly ScreenRect[]) =>
  others.reduce(
    (sum, b) =>
      sum +
      Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
        Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)),
    0,
  );

/**
 * What moving a label 1 px below its preferred place costs, in label heights of card covered: a label a little
 * over a card's border stays by its edge, one that would cover much of a card moves down instead.
 */
const DRIFT_WEIGHT = 2;
/**
 * A label that would end up further than this many label heights below its place is hidden instead: in the
 * support flow's crowded middle such labels piled up below the flow, beside other edges, where they misled.
 * Its edge's tooltip, the inspector and a closer zoom still show it.
 */
const MAX_DRIFT_HEIGHTS = 3;

/** A label's place; `hidden` when it has none that is not far from its edge or over another label. */
export interface Placement extends Offset {
  readonly hidden?: boolean;
}

/** The preferred place moved down past everything it meets: always free, but maybe far from its edge. */
function pushedDown(rect: ScreenRect, first: Offset, others: readonly ScreenRect[], gapPx: number): Offset {
  const height = rect.bottom - rect.top;
  let box = shifted(rect, first);
  for (let moved = true, guard = 0; moved && guard < 50; guard++) {
    moved = false;
    for (const other of others) {
      if (meets(box, other, gapPx)) {
        box = { ...box, top: other.bottom + gapPx, bottom: other.bottom + gapPx + height };
        moved = true;
      }
    }
  }
  return { dx: first.dx, dy: box.top - rect.top };
}

/**
 * Screen offsets for labels measured at their edge's middle (`rect`) with the places they may take along their
 * edge (`offsets`, screen pixels; the first is preferred), each also tried just above and just below the line
 * (half a label height). Each label, top to bottom, takes the first place that meets no card and no label
 * placed before it. When there is none it takes the cheapest of: a place by its edge over part of a card's
 * body (labels sit above cards, so it still reads; cost: the area covered), never over another label or a
 * card's name (`names`: head rows, where a diff's mark is too); or its preferred place moved down until free,
 * if that is near (cost: the distance). With neither it is hidden: a label far from its edge misleads (pushed
 * below the cards, the router's labels had ended up beside other edges), and one over a name hides the card.
 */
export function placeLabels(
  labels: ReadonlyArray<{ readonly rect: ScreenRect; readonly offsets: readonly Offset[] }>,
  cards: readonly ScreenRect[],
  gapPx: number,
  names: readonly ScreenRect[] = [],
): Placement[] {
  const preferred = (i: number) => shifted(labels[i]!.rect, labels[i]!.offsets[0] ?? { dx: 0, dy: 0 });
  const order = labels
    .map((_, i) => i)
    .sort((a, b) => preferred(a).top - preferred(b).top || preferred(a).left - preferred(b).left);
  const placed: ScreenRect[] = [];
  const result: Placement[] = labels.map(() => ({ dx: 0, dy: 0 }));
  for (const i of order) {
    const { rect, offsets } = labels[i]!;
    const along = offsets.length > 0 ? offsets : [{ dx: 0, dy: 0 }];
    // On the edge at each place first, then just above and just below it (beside the line, still touching).
    const step = (rect.bottom - rect.top) / 2 + gapPx;
    const tries = [
      ...along,
      ...along.flatMap(({ dx, dy }) => [
        { dx, dy: dy - step },
        { dx, dy: dy + step },
      ]),
    ];
    const clear = tries.find((offset) =>
      [...placed, ...cards].every((other) => !meets(shifted(rect, offset), other, gapPx)),
    );
    let chosen: Placement | undefined = clear;
    if (!chosen) {
      // No clear place by the edge: weigh covering part of a card (never a label, never a card's name or a
      // diff's mark) against drifting below.
      const height = rect.bottom - rect.top;
      const options = tries
        .map((offset) => ({ offset, box: shifted(rect, offset) }))
        .filter(({ box }) => [...placed, ...names].every((other) => !meets(box, other, 0)))
        .map(({ offset, box }) => ({ offset, cost: covered(box, cards) }));
      const drift = pushedDown(rect, tries[0]!, [...cards, ...placed], gapPx);
      const driftPx = Math.abs(drift.dy - tries[0]!.dy);
      if (driftPx <= MAX_DRIFT_HEIGHTS * height) {
        options.push({ offset: drift, cost: DRIFT_WEIGHT * height * driftPx });
      }
      chosen =
        options.length > 0
          ? options.reduce((best, next) => (next.cost < best.cost ? next : best)).offset
          : { ...tries[0]!, hidden: true };
    }
    result[i] = chosen;
    if (!chosen.hidden) placed.push(shifted(rect, chosen));
  }
  return result;
}
