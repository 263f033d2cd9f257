import { describe, expect, it } from "vitest";
import { createBuilderStores } from "../../src/builder/builder-stores";
import { createDocumentStore } from "../../src/builder/document-store";
import { catalog, COMMENTED_FLOW, validator } from "./builder-fixtures";

const makeDocument = (text = COMMENTED_FLOW, nowMs = () => 0) =>
  createDocumentStore({ initialText: text, catalog, validator, nowMs });

describe("document store", () => {
  it("derives the canvas graph from the YAML", () => {
    const { graph, parses, errorCount } = makeDocument().getState();
    expect(parses).toBe(true);
    expect(errorCount).toBe(0);
    expect(graph.nodes.map((n) => [n.name, n.position.x])).toEqual([
      ["start", 0],
      ["hello", 260],
    ]);
    expect(graph.edges).toMatchObject([{ id: "e0", source: "start", target: "hello", port: "out" }]);
  });

  it("patches the YAML for a canvas edit and keeps every comment", () => {
    const store = makeDocument();
    const ok = store.getState().applyEdits([
      { kind: "add-node", node: { name: "bye", type: "end" }, position: { x: 520, y: 0 } },
      { kind: "add-edge", edge: { from: "hello", to: "bye" } },
      { kind: "move-node", name: "hello", position: { x: 300, y: 40 } },
    ]);
    expect(ok).toBe(true);
    const { text, graph } = store.getState();
    for (const comment of [
      "# Greets and ends.",
      "# where it begins",
      "# the only reply",
      "# placed by hand",
    ]) {
      expect(text).toContain(comment);
    }
    expect(text).toContain("- { from: hello, to: bye }");
    expect(text).toMatch(/hello: \{ x: 300, y: 40 \}\s+# placed by hand/);
    expect(graph.nodes.map((n) => n.name)).toEqual(["start", "hello", "bye"]);
    expect(graph.edges).toHaveLength(2);
  });

  it("follows a YAML edit: a node typed into the YAML appears on the canvas next to its parent", () => {
    const store = makeDocument();
    const text = COMMENTED_FLOW.replace(
      "edges:\n",
      "  # added by hand\n  - name: bye\n    type: end\nedges:\n  - { from: hello, to: bye }\n",
    );
    store.getState().setText(text);
    const { graph, parses } = store.getState();
    expect(parses).toBe(true);
    const bye = graph.nodes.find((n) => n.name === "bye");
    expect(bye).toMatchObject({ placed: false, position: { x: 520, y: 0 } });
    expect(graph.edges.map((e) => `${e.source}->${e.target}`)).toEqual(["hello->bye", "start->hello"]);
  });

  it("keeps the last good graph while the YAML does not parse, and refuses canvas edits then", () => {
    const store = makeDocument();
    const before = store.getState().graph;
    store.getState().setText(`${COMMENTED_FLOW}nodes: [unclosed\n`);
    const state = store.getState();
    expect(state.parses).toBe(false);
    expect(state.graph).toBe(before);
    expect(state.problems[0]?.code).toMatch(/^FD10/);
    expect(state.applyEdits([{ kind: "move-node", name: "start", position: { x: 1, y: 1 } }])).toBe(false);
    expect(store.getState().editFailure?.code).toBe("FD412");
    store.getState().setText(COMMENTED_FLOW.replace("x: 260", "x: 999"));
    expect(store.getState().graph.nodes[1]?.position.x).toBe(999);
  });

  it("reports a refused edit with its code instead of throwing", () => {
    const store = makeDocument();
    expect(store.getState().applyEdits([{ kind: "add-edge", edge: { from: "start", to: "nowhere" } }])).toBe(
      false,
    );
    expect(store.getState().editFailure).toMatchObject({ code: "FD140" });
    expect(store.getState().text).toBe(COMMENTED_FLOW);
  });

  it("undoes and redoes canvas and YAML edits over one history", () => {
    const store = makeDocument();
    const s = () => store.getState();
    s().applyEdits([{ kind: "move-node", name: "start", position: { x: 10, y: 10 } }]);
    const afterMove = s().text;
    s().setText(`${afterMove}# typed\n`);
    expect(s().history.past).toHaveLength(2);
    s().undo();
    expect(s().text).toBe(afterMove);
    s().undo();
    expect(s().text).toBe(COMMENTED_FLOW);
    expect(s().graph.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    s().undo(); // nothing left: no change
    expect(s().text).toBe(COMMENTED_FLOW);
    s().redo();
    expect(s().graph.nodes[0]?.position).toEqual({ x: 10, y: 10 });
    s().redo();
    expect(s().text).toBe(`${afterMove}# typed\n`);
  });

  it("makes one undo step of typing in one field within the coalesce window", () => {
    let now = 0;
    const store = makeDocument(COMMENTED_FLOW, () => now);
    const s = () => store.getState();
    for (const text of ["Hi", "Hi there", "Hi there!"]) {
      now += 200;
      s().applyEdits([{ kind: "set-config", node: "hello", path: ["text"], value: text }], {
        origin: "form",
        coalesceKey: "hello.text",
      });
    }
    expect(s().text).toContain('text: "Hi there!"');
    expect(s().history.past).toHaveLength(1);
    s().undo();
    expect(s().text).toBe(COMMENTED_FLOW);
  });

  it("shows validation problems as badges on the node they belong to", () => {
    const store = makeDocument(
      COMMENTED_FLOW.replace("type: reply", "type: reply\n    retry: { attempts: -1 }"),
    );
    const hello = store.getState().graph.nodes.find((n) => n.name === "hello");
    expect(hello?.errorCount).toBeGreaterThan(0);
    expect(store.getState().problems.some((p) => p.path.startsWith("nodes[1]"))).toBe(true);
  });
});

describe("builder stores", () => {
  it("keeps the canvas arrays in step with the document and reuses unchanged nodes", () => {
    const stores = createBuilderStores({ initialText: COMMENTED_FLOW, catalog, validator });
    const before = stores.session.getState().nodes;
    stores.session.getState().select(["hello"]);
    stores.document.getState().applyEdits([{ kind: "move-node", name: "start", position: { x: 5, y: 5 } }]);
    const after = stores.session.getState().nodes;
    expect(after[0]?.position).toEqual({ x: 5, y: 5 });
    expect(after[1]?.selected).toBe(true);
    expect(after[1]?.data).toBe(before[1]?.data);
    expect(stores.session.getState().selectedNodeIds).toEqual(["hello"]);
    stores.document.getState().applyEdits([{ kind: "remove-node", name: "hello" }]);
    expect(stores.session.getState().selectedNodeIds).toEqual([]);
    expect(stores.session.getState().edges).toEqual([]);
    stores.dispose();
  });
});

describe("canvas edits on an emptied flow", () => {
  it("puts each new node and edge on its own line after every node was deleted", () => {
    const store = makeDocument();
    const s = () => store.getState();
    s().applyEdits([
      { kind: "remove-node", name: "start" },
      { kind: "remove-node", name: "hello" },
    ]);
    expect(s().text).toMatch(/nodes: \[\]/);
    s().applyEdits([{ kind: "add-node", node: { name: "start", type: "start" }, position: { x: 0, y: 0 } }]);
    s().applyEdits([{ kind: "add-node", node: { name: "done", type: "end" }, position: { x: 260, y: 0 } }]);
    s().applyEdits([{ kind: "add-edge", edge: { from: "start", to: "done" } }]);
    expect(s().text).toMatch(/nodes:\n {2}- name: start\n {4}type: start\n {2}- name: done\n/);
    expect(s().text).toMatch(/edges:\n {2}- \{ from: start, to: done \}\n/);
    expect(s().text).toContain("# Greets and ends.");
  });
});
