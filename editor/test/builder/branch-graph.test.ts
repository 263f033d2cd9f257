import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { edgeTitle, reconcileEdges } from "../../src/builder/canvas-elements";
import { CONDITION_LABEL_MAX_CHARS, conditionSummary } from "../../src/builder/condition-summary";
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

  it("labels any other condition with what it tests, not the word 'condition', with the whole CEL as tooltip", () => {
    const edges = reconcileEdges([], graph);
    const fromFaq = edges.filter((e) => e.source === "faq_flow");
    expect(fromFaq.map((e) => [e.target, e.label])).toEqual([
      ["escalated", "outcome = escalated"],
      ["unresolved", "outcome = unresolved"],
      ["done", "otherwise"],
      ["automation_failed", "error"],
    ]);
    expect(edges.some((e) => e.label === "condition")).toBe(false);
    expect(fromFaq.map((e) => edgeTitle(e.data!.edge))).toEqual([
      "output.outcome == 'escalated'",
      "output.outcome == 'unresolved'",
      "otherwise",
      "error",
    ]);
    const faq = edges.find((e) => e.source === "classify_intent" && e.target === "faq_flow")!;
    expect(edgeTitle(faq.data!.edge)).toBe("faq: output.route == 'faq'");
    expect(faq.ariaLabel).toBe("Edge from classify_intent to faq_flow (faq: output.route == 'faq')");
  });
});

describe("condition summaries", () => {
  it("reads one comparison of a path with a literal as words", () => {
    expect(conditionSummary("output.outcome == 'escalated'")).toBe("outcome = escalated");
    expect(conditionSummary("output.total >= 100")).toBe("total ≥ 100");
    expect(conditionSummary("vars.vip != true")).toBe("vars.vip ≠ true");
    expect(conditionSummary("output.note == ''")).toBe("note = ''");
    expect(conditionSummary("nodes.a.output.ok == true")).toBe("nodes.a.output.ok = true");
  });

  it("keeps any other CEL on one line without its own output prefix, cut with an ellipsis", () => {
    expect(conditionSummary("output.a > 1 &&\n  output.b < 2")).toBe("a > 1 && b < 2");
    const long = conditionSummary("size(output.items) > 3 && output.items.exists(i, i.price > 100)");
    expect(long).toHaveLength(CONDITION_LABEL_MAX_CHARS);
    expect(long.endsWith("…")).toBe(true);
    expect(long.startsWith("size(items) > 3 && items")).toBe(true);
  });
});
