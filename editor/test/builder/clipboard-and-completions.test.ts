import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { copyFragment, parseFragment, pasteEdits } from "../../src/builder/clipboard-fragment";
import { completionsAt, completionTree } from "../../src/builder/completions";
import { createDocumentStore } from "../../src/builder/document-store";
import { catalog, COMMENTED_FLOW, validator } from "./builder-fixtures";

describe("copy and paste", () => {
  it("copies nodes as a YAML fragment and pastes them with new names, edges and references kept", () => {
    const source = createDocumentStore({ initialText: COMMENTED_FLOW, catalog, validator });
    const positions = new Map(source.getState().graph.nodes.map((n) => [n.name, n.position]));
    const fragment = copyFragment(source.getState().value, new Set(["start", "hello"]), positions);
    expect(fragment).toBeDefined();
    expect(parse(fragment!)).toMatchObject({
      nodes: [{ name: "start" }, { name: "hello" }],
      edges: [{ from: "start", to: "hello" }],
    });

    // Into the same flow: both names are taken.
    const { edits, names } = pasteEdits(parseFragment(fragment!), new Set(["start", "hello"]));
    expect(names).toEqual(["start_2", "hello_2"]);
    expect(source.getState().applyEdits(edits)).toBe(true);
    const graph = source.getState().graph;
    expect(graph.nodes.map((n) => n.name)).toEqual(["start", "hello", "start_2", "hello_2"]);
    expect(graph.edges.map((e) => `${e.source}->${e.target}`)).toContain("start_2->hello_2");
    expect(graph.nodes.find((n) => n.name === "hello_2")?.position).toEqual({ x: 300, y: 40 });
    expect(source.getState().text).toContain("# placed by hand");

    // Into another flow where the names are free: they stay.
    expect(pasteEdits(parseFragment(fragment!), new Set(["other"])).names).toEqual(["start", "hello"]);
  });

  it("rewrites nodes.<name> references inside pasted configs when a name changes", () => {
    const fragment = `flowdeck_fragment: 1\nnodes:\n  - { name: a, type: reply, config: { text: "{{ nodes.b.output }}" } }\n  - { name: b, type: end }\nedges: []\n`;
    const { edits } = pasteEdits(parseFragment(fragment), new Set(["b"]));
    expect(edits[0]).toMatchObject({
      kind: "add-node",
      node: { config: { text: "{{ nodes.b_2.output }}" } },
    });
  });

  it("refuses text that is not a fragment with FD411", () => {
    expect(() => parseFragment("just some text")).toThrow(/FD411/);
  });
});

describe("template and expression completion", () => {
  const value = parse(`
name: f
vars: { tries: 0 }
nodes:
  - { name: start, type: start, config: { inputs: [{ name: order_id }] } }
  - { name: ask_email, type: ask, config: { prompt: "Email?", variable: email } }
  - { name: remember, type: set, config: { values: { topic: billing } } }
`) as Record<string, unknown>;
  const tree = completionTree(value);

  it("offers node names after nodes., variables after vars., inputs after input.", () => {
    const at = (text: string, kind: "template" | "expression" = "template") =>
      completionsAt(text, text.length, tree, kind)?.options;
    expect(at("{{ nodes.")).toEqual(["start", "ask_email", "remember"]);
    expect(at("{{ nodes.ask_email.")).toEqual(["output"]);
    expect(at("{{ vars.")).toEqual(["tries", "email", "topic"]);
    expect(at("{{ input.")).toEqual(["message", "order_id"]);
    expect(at("{{ in")).toEqual(["input"]);
    expect(at("vars.t", "expression")).toEqual(["tries", "topic"]);
  });

  it("offers declared entities after entities., memory keys and the conversation's fields after conversation.", () => {
    const withEntities = completionTree(
      parse(`
name: f
entities: { order_id: { type: pattern, pattern: 'AO-\\d{5}' }, email: { type: email } }
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { conversation: { order_id: "{{ entities.order_id }}" } } }
`) as Record<string, unknown>,
    );
    const at = (text: string) => completionsAt(text, text.length, withEntities, "template")?.options;
    expect(at("{{ entities.")).toEqual(["order_id", "email"]);
    expect(at("{{ conversation.")).toEqual(["id", "channel", "history", "last_message", "order_id"]);
    expect(at("{{ ent")).toEqual(["entities"]);
  });

  it("offers nothing outside {{ }} in a template", () => {
    expect(completionsAt("Hello nodes.", 12, tree, "template")).toBeUndefined();
    expect(completionsAt("{{ x }} nodes.", 14, tree, "template")).toBeUndefined();
  });
});
