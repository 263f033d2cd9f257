// Edge labels along their edges (label-placement.ts): which end a label goes near, the places it may take,
// and the greedy pass that keeps labels off cards and off each other.
import { readFileSync } from "node:fs";
import { getBezierPath, Position } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { edgeLabel } from "../../src/builder/canvas-elements";
import { deriveGraph } from "../../src/builder/graph-model";
import { labelEnds, labelOffsets, placeLabels, type ScreenRect } from "../../src/builder/label-placement";
import { catalog } from "./builder-fixtures";

const SEED = readFileSync(
  new URL("../../../workflows/customer_support_workflow.yaml", import.meta.url),
  "utf8",
);

describe("which end of its edge a label sits nearer", () => {
  const graph = deriveGraph(parseDocument(SEED).toJS(), [], catalog);
  const ends = labelEnds(graph.edges, (edge) => edgeLabel(edge) !== undefined);
  const endOf = (source: string, target: string) =>
    ends.get(graph.edges.find((e) => e.source === source && e.target === target)!.id);

  it("puts a router's branch names near their targets: ten leave one card, one arrives at each", () => {
    expect(endOf("classify_intent", "faq_flow")).toBe("target");
    expect(endOf("classify_intent", "unclear_request")).toBe("target");
  });

  it("puts the labels of many edges into one node near their sources", () => {
    // Five "outcome = escalated" edges arrive at escalated; four labelled edges leave each subflow.
    expect(endOf("faq_flow", "escalated")).toBe("source");
    expect(endOf("order_flow", "done")).toBe("source");
  });
});

describe("the places a label may take along its edge", () => {
  const [path, labelX, labelY] = getBezierPath({
    sourceX: 0,
    sourceY: 0,
    sourcePosition: Position.Right,
    targetX: 400,
    targetY: 200,
    targetPosition: Position.Left,
  });

  it("starts near the preferred end and stays on the edge", () => {
    const toTarget = labelOffsets(path, "target");
    expect(toTarget[0]!.dx).toBeGreaterThan(50);
    expect(toTarget[0]!.dy).toBeGreaterThan(30);
    const toSource = labelOffsets(path, "source");
    expect(toSource[0]!.dx).toBeLessThan(-50);
    expect(toSource[0]!.dy).toBeLessThan(-30);
    // Every place is a point of the curve: within its box, and the middle is React Flow's own label point.
    for (const { dx, dy } of [...toTarget, ...toSource]) {
      expect(labelX + dx).toBeGreaterThanOrEqual(0);
      expect(labelX + dx).toBeLessThanOrEqual(400);
      expect(labelY + dy).toBeGreaterThanOrEqual(0);
      expect(labelY + dy).toBeLessThanOrEqual(200);
    }
    expect(labelOffsets(path, "middle")[0]).toEqual({ dx: 0, dy: 0 });
  });

  it("keeps a label on the middle of a path that is not one bezier", () => {
    expect(labelOffsets("M 0,0 L 10,10", "target")).toEqual([{ dx: 0, dy: 0 }]);
  });
});

const rect = (left: number, top: number, width = 60, height = 18): ScreenRect => ({
  left,
  top,
  right: left + width,
  bottom: top + height,
});

describe("placing labels", () => {
  it("slides a label that meets another along its own edge instead of pushing it below", () => {
    // Two labels at the same middle (two edges leaving one handle), each with the places along its edge.
    const labels = [
      {
        rect: rect(100, 100),
        offsets: [
          { dx: 0, dy: 0 },
          { dx: 40, dy: -60 },
        ],
      },
      {
        rect: rect(100, 100),
        offsets: [
          { dx: 0, dy: 0 },
          { dx: 40, dy: 60 },
        ],
      },
    ];
    const placed = placeLabels(labels, [], 2);
    expect(placed[0]).toEqual({ dx: 0, dy: 0 });
    expect(placed[1]).toEqual({ dx: 40, dy: 60 });
  });

  it("takes the first place that meets no card", () => {
    const card = rect(80, 90, 180, 60);
    const placed = placeLabels(
      [
        {
          rect: rect(100, 100),
          offsets: [
            { dx: 0, dy: 0 },
            { dx: 10, dy: 5 },
            { dx: -120, dy: 0 },
          ],
        },
      ],
      [card],
      2,
    );
    expect(placed[0]).toEqual({ dx: -120, dy: 0 });
  });

  it("with no clear place on its edge, covers as little of a card as it can instead of leaving its edge", () => {
    // The gap between the router and the subflow column is narrower than a label at a fitted zoom, and both
    // cards are tall, so no place above or below the edge is clear either.
    const router = rect(0, -200, 100, 800);
    const subflow = rect(140, -200, 100, 800);
    const placed = placeLabels(
      [
        {
          rect: rect(90, 300),
          offsets: [
            { dx: 30, dy: 0 },
            { dx: -30, dy: 0 },
            { dx: 0, dy: 0 },
          ],
        },
      ],
      [router, subflow],
      2,
    );
    // Over the cards 40, 40 and 10 + 10 px wide: the label stays across the gap.
    expect(placed[0]).toEqual({ dx: 0, dy: 0 });
  });

  it("would rather cover a card's type line than its name", () => {
    const card = rect(80, 0, 180, 300);
    const name = rect(80, 0, 180, 40);
    const label = {
      rect: rect(100, 10),
      offsets: [
        { dx: 0, dy: 0 },
        { dx: 0, dy: 100 },
      ],
    };
    // Wholly over the card below its name, rather than partly over the name.
    expect(placeLabels([label], [card], 2, [name])[0]).toEqual({ dx: 0, dy: 100 });
    // Without the name, the least of the card: half a label height up, partly above its top.
    expect(placeLabels([label], [card], 2)[0]).toEqual({ dx: 0, dy: -11 });
  });

  it("is hidden rather than laid over a card's name", () => {
    const card = rect(80, 0, 180, 300);
    const label = { rect: rect(100, 40), offsets: [{ dx: 0, dy: 0 }] };
    expect(placeLabels([label], [card], 2, [card])[0]).toEqual({ dx: 0, dy: 0, hidden: true });
    // Over the card's body it stays.
    expect(placeLabels([label], [card], 2)[0]).toEqual({ dx: 0, dy: 0 });
  });

  it("sits just above or below its edge when the edge itself is covered", () => {
    // A card just under the line: the label moves up by half its height plus the gap, still touching it.
    const card = rect(80, 110, 180, 20);
    const placed = placeLabels([{ rect: rect(100, 100), offsets: [{ dx: 0, dy: 0 }] }], [card], 2);
    expect(placed[0]).toEqual({ dx: 0, dy: -11 });
  });

  it("as a last resort, when every place covers another label, moves down a little, or else hides it", () => {
    // Four labels at one middle: on the line, then each pushed below the ones before, until the next would go
    // 60 px down, more than three label heights from its edge.
    const same = { rect: rect(100, 100), offsets: [{ dx: 0, dy: 0 }] };
    expect(placeLabels([same, same, same, same], [], 2)).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 20 },
      { dx: 0, dy: 40 },
      { dx: 0, dy: 0, hidden: true },
    ]);
  });
});
