import { describe, expect, it } from "vitest";
import { CARD_HEIGHT_PX, CARD_WIDTH_PX, type FlowEdge } from "../../src/builder/canvas-elements";
import type { GraphEdge, GraphNode } from "../../src/builder/graph-model";
import { boxAt, overviewGeometry, type OverviewNodeInput } from "../../src/builder/overview-geometry";

function graphNode(name: string, patch: Partial<GraphNode> = {}): GraphNode {
  return {
    id: name,
    name,
    index: 0,
    type: "reply",
    title: "Reply",
    category: "ai",
    icon: "",
    description: "",
    outputs: ["out"],
    handles: [{ id: "out", label: "out", port: "out", kind: "port" }],
    position: { x: 0, y: 0 },
    placed: true,
    knownType: true,
    errorCount: 0,
    warningCount: 0,
    firstProblem: undefined,
    ...patch,
  };
}

function node(
  name: string,
  x: number,
  y: number,
  extra: Partial<Omit<OverviewNodeInput, "data">> & { graph?: Partial<GraphNode> } = {},
): OverviewNodeInput {
  const { graph, ...rest } = extra;
  return {
    id: name,
    data: { node: graphNode(name, graph) },
    initialWidth: CARD_WIDTH_PX,
    initialHeight: CARD_HEIGHT_PX,
    internals: { positionAbsolute: { x, y } },
    ...rest,
  };
}

function edge(id: string, source: string, target: string, patch: Partial<GraphEdge> = {}, selected = false) {
  const graphEdge: GraphEdge = {
    id,
    index: 0,
    source,
    target,
    port: "out",
    condition: undefined,
    label: undefined,
    handle: "out",
    branch: undefined,
    hasProblem: false,
    ...patch,
  };
  return { id, source, target, data: { edge: graphEdge }, selected } satisfies FlowEdge;
}

/** The start and end points of every `M x,y C c1 c2 x,y` curve in SVG path data. */
function curveEnds(d: string): Array<[number, number, number, number]> {
  return [...d.matchAll(/M\s*([-\d.]+),([-\d.]+)\s*C[^C]*?\s([-\d.]+),([-\d.]+)(?=\s*M|\s*$)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
  ]);
}

describe("overview geometry", () => {
  it("makes a box per node from React Flow's measured size, else the assumed size, with status and selection", () => {
    const { boxes } = overviewGeometry(
      [
        node("start", 0, 0, { measured: { width: 200, height: 70 }, selected: true }),
        node("bad", 260, 120, { graph: { errorCount: 2, warningCount: 1, category: "logic" } }),
        node("iffy", 520, 0, { graph: { warningCount: 1 } }),
      ],
      [],
    );
    expect(boxes).toEqual([
      { id: "start", x: 0, y: 0, width: 200, height: 70, category: "ai", status: "ok", selected: true },
      {
        id: "bad",
        x: 260,
        y: 120,
        width: CARD_WIDTH_PX,
        height: CARD_HEIGHT_PX,
        category: "logic",
        status: "error",
        selected: false,
      },
      {
        id: "iffy",
        x: 520,
        y: 0,
        width: CARD_WIDTH_PX,
        height: CARD_HEIGHT_PX,
        category: "ai",
        status: "warning",
        selected: false,
      },
    ]);
  });

  it("draws each edge from the source's right middle to the target's left middle, one path per look", () => {
    const nodes = [
      node("a", 0, 0, { measured: { width: 100, height: 40 } }),
      node("b", 300, 100, { measured: { width: 100, height: 60 } }),
      node("c", 300, -100),
    ];
    const { edgePaths } = overviewGeometry(nodes, [
      edge("e0", "a", "b"),
      edge("e1", "a", "c", { condition: "vars.x > 1" }),
      edge("e2", "b", "c", { port: "error" }),
      edge("e3", "c", "a", { hasProblem: true, condition: "x" }),
      edge("e4", "b", "a", {}, true),
      edge("e5", "a", "b"),
      edge("e6", "a", "gone"),
    ]);
    expect([...edgePaths.keys()].sort()).toEqual([
      "conditional",
      "error-port",
      "plain",
      "problem",
      "selected",
    ]);
    // Two plain edges share one path; the edge to a node that does not exist is left out.
    expect(curveEnds(edgePaths.get("plain")!)).toEqual([
      [100, 20, 300, 130],
      [100, 20, 300, 130],
    ]);
    expect(curveEnds(edgePaths.get("conditional")!)).toEqual([[100, 20, 300, -100 + CARD_HEIGHT_PX / 2]]);
    expect(curveEnds(edgePaths.get("error-port")!)).toEqual([[400, 130, 300, -100 + CARD_HEIGHT_PX / 2]]);
    expect(curveEnds(edgePaths.get("problem")!)).toEqual([
      [300 + CARD_WIDTH_PX, -100 + CARD_HEIGHT_PX / 2, 0, 20],
    ]);
    expect(curveEnds(edgePaths.get("selected")!)).toEqual([[400, 130, 0, 20]]);
  });

  it("finds the box under a point, the topmost first, and a near miss within the slop", () => {
    const { boxes } = overviewGeometry(
      [node("under", 0, 0), node("over", 100, 20), node("far", 1000, 1000)],
      [],
    );
    expect(boxAt(boxes, { x: 10, y: 10 })?.id).toBe("under");
    // Where the two overlap, the one drawn later wins.
    expect(boxAt(boxes, { x: 150, y: 30 })?.id).toBe("over");
    expect(boxAt(boxes, { x: 600, y: 600 })).toBeUndefined();
    // 30 units right of "over": found with a slop of 50, not with 20.
    const nearMiss = { x: 100 + CARD_WIDTH_PX + 30, y: 40 };
    expect(boxAt(boxes, nearMiss)).toBeUndefined();
    expect(boxAt(boxes, nearMiss, 20)).toBeUndefined();
    expect(boxAt(boxes, nearMiss, 50)?.id).toBe("over");
  });
});
