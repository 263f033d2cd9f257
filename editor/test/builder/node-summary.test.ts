// The one line a card shows under its type (node-summary.ts): what a Reply says, what an Ask asks, an End's last
// reply or else its outcome. A new workflow's End card read only "End" while its config held the greeting.
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { deriveGraph } from "../../src/builder/graph-model";
import { NODE_SUMMARY_MAX_CHARS, nodeSummary } from "../../src/builder/node-summary";
import { starterYaml } from "../../src/workflows/workflow-yaml";
import { catalog } from "./builder-fixtures";

describe("a card's summary line", () => {
  it("quotes a Reply's text, an Ask's question and an End's reply", () => {
    expect(nodeSummary("reply", { text: "Thanks for waiting!" })).toBe("“Thanks for waiting!”");
    expect(nodeSummary("ask", { prompt: "What is your order number?", variable: "order" })).toBe(
      "“What is your order number?”",
    );
    expect(nodeSummary("end", { reply: "Bye!", outcome: "resolved" })).toBe("“Bye!”");
  });

  it("says an End's outcome when it sends no reply", () => {
    expect(nodeSummary("end", { outcome: "escalated" })).toBe("Outcome: escalated");
    expect(nodeSummary("end", { reply: "   ", outcome: "unresolved" })).toBe("Outcome: unresolved");
  });

  it("is one line, cut with an ellipsis, however long or multi-line the text", () => {
    const long = `Hello {{ input.name }},\n\n  ${"thanks for writing to us. ".repeat(10)}`;
    const summary = nodeSummary("reply", { text: long })!;
    expect(summary).not.toContain("\n");
    expect(summary.startsWith("“Hello {{ input.name }}, thanks for writing")).toBe(true);
    expect(summary.endsWith("…”")).toBe(true);
    expect([...summary]).toHaveLength(NODE_SUMMARY_MAX_CHARS);
    // A cut never splits a character made of two UTF-16 units.
    expect(nodeSummary("reply", { text: "👋".repeat(100) }, 10)).toBe(`“${"👋".repeat(7)}…”`);
  });

  it("is left out for other node types and for configs that say nothing yet", () => {
    expect(nodeSummary("router", { message: "{{ input.message }}" })).toBeUndefined();
    expect(nodeSummary("start", { greeting: "Hi" })).toBeUndefined();
    expect(nodeSummary("reply", undefined)).toBeUndefined();
    expect(nodeSummary("reply", { text: "" })).toBeUndefined();
    expect(nodeSummary("reply", { text: 42 })).toBeUndefined();
    expect(nodeSummary("end", {})).toBeUndefined();
    expect(nodeSummary("ask", ["prompt"])).toBeUndefined();
  });

  it("reaches the canvas graph: a new workflow's End card shows its greeting", () => {
    const graph = deriveGraph(parseDocument(starterYaml("greet")).toJS(), [], catalog);
    const end = graph.nodes.find((node) => node.name === "reply");
    expect(end?.type).toBe("end");
    expect(end?.summary).toBe("“Hi! How can I help you today?”");
    expect(graph.nodes.find((node) => node.name === "start")?.summary).toBeUndefined();
  });
});
