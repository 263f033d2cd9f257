import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { reconcileEdges } from "../../src/builder/canvas-elements";
import { deriveGraph } from "../../src/builder/graph-model";
import { catalog } from "./builder-fixtures";

const SEED = readFileSync(
  new URL("../../../workflows/customer_support_workflow.yaml", import.meta.url),
  "utf8",
);

describe("the canvas reads the seed's router edges as branches", () => {
  const graph = deriveGraph(parseDocument(SEED).toJS(), [], catalog);

  it("gives the router one handle per intent, then fallback and error", () => {
    const router = graph.nodes.find((n) => n.name === "classify_intent")!;
    expect(router.handles.map((h) => h.label)).toEqual([
      "faq",
      "order",
      "lead",
      "complaint",
      "technical",
      "human_request",
      "greeting",
      "thanks",
      "fallback",
      "error",
    ]);
  });

  it("labels edges with the branch name, never the raw condition, and starts them at the branch's handle", () => {
    const edges = reconcileEdges([], graph).filter((e) => e.source === "classify_intent");
    expect(edges.map((e) => [e.sourceHandle, e.label])).toEqual([
      ["case:faq", "faq"],
      ["case:order", "order"],
      ["case:lead", "lead"],
      ["case:complaint", "complaint"],
      ["case:technical", "technical"],
      ["case:human_request", "human_request"],
      ["case:greeting", "greeting"],
      ["case:thanks", "thanks"],
      // The seed gives its catch-all a `label:` of its own, which wins over the branch name.
      ["out", "unsure"],
      ["error", "error"],
    ]);
    const all = reconcileEdges([], graph);
    expect(all.some((e) => typeof e.label === "string" && e.label.includes("=="))).toBe(false);
  });
});
