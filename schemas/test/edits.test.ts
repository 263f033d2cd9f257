import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import {
  applyEdit,
  commentsOf,
  PARSE_OPTIONS,
  saveWorkflowDocument,
  WorkflowEditError,
  type GraphEdit,
} from "../src/index";

const TEXT = `name: demo # the demo
nodes:
  # where runs begin
  - name: start
    type: start
  - name: lookup
    type: agent
    config:
      prompt_template: "Order {{ nodes.lookup.output.id }} / {{ nodes.lookups.output }}" # keep me
  - name: done
    type: end
    config: { reply: "{{ nodes['lookup'].output.text }}" }
edges:
  - { from: start, to: lookup }
  - { from: lookup, to: done, condition: "nodes.lookup.output.found" } # found it
layout:
  start: { x: 0, y: 0 }
  lookup: { x: 260, y: 0 } # middle
  done: { x: 520, y: 0 }
`;

function edited(...edits: GraphEdit[]): string {
  const doc = parseDocument(TEXT, PARSE_OPTIONS);
  for (const edit of edits) applyEdit(doc, edit);
  return saveWorkflowDocument(doc, TEXT);
}

describe("graph edits on the YAML document", () => {
  it("adds a node and its layout entry, in the document's style", () => {
    const out = edited({
      kind: "add-node",
      node: { name: "bye", type: "end" },
      position: { x: 780.4, y: 10 },
    });
    expect(out).toContain("  - name: bye\n    type: end\n");
    expect(out).toContain("  bye: { x: 780, y: 10 }\n");
  });

  it("moves a node by changing only its layout numbers", () => {
    const out = edited({ kind: "move-node", name: "lookup", position: { x: 300, y: 40 } });
    expect(out).toBe(TEXT.replace("lookup: { x: 260, y: 0 } # middle", "lookup: { x: 300, y: 40 } # middle"));
  });

  it("removes a node with its edges and layout entry", () => {
    const out = edited({ kind: "remove-node", name: "done" });
    expect(out).not.toMatch(/done/);
    expect(out).toContain("# the demo");
    expect(out).toContain("# where runs begin");
  });

  it("adds and removes edges", () => {
    const added = edited({ kind: "add-edge", edge: { from: "start", to: "done", port: "out" } });
    expect(added).toContain("  - { from: start, to: done, port: out }\n");
    const removed = edited({ kind: "remove-edge", index: 0 });
    expect(removed).not.toContain("{ from: start, to: lookup }");
    expect(removed).toContain("# found it");
  });

  it("changes a config field in place, keeping its comment", () => {
    const out = edited({
      kind: "set-config",
      node: "lookup",
      path: ["prompt_template"],
      value: "Hi {{ input.message }}",
    });
    expect(out).toContain('      prompt_template: "Hi {{ input.message }}" # keep me\n');
    const nested = edited({ kind: "set-config", node: "start", path: ["greeting"], value: "Welcome!" });
    expect(nested).toContain("    type: start\n    config:\n      greeting: Welcome!\n");
    const removed = edited({ kind: "set-config", node: "done", path: ["reply"], value: undefined });
    expect(removed).toContain("    config: {}\n");
  });

  it("renames a node with its edges, layout entry and every nodes.<name> reference", () => {
    const out = edited({ kind: "rename-node", from: "lookup", to: "find_order" });
    expect(out).not.toMatch(/nodes\.lookup\b|nodes\['lookup'\]|from: lookup|to: lookup|^ {2}lookup:/m);
    expect(out).toContain("{{ nodes.find_order.output.id }} / {{ nodes.lookups.output }}");
    expect(out).toContain("{{ nodes['find_order'].output.text }}");
    expect(out).toContain('condition: "nodes.find_order.output.found" } # found it');
    expect(out).toContain("  find_order: { x: 260, y: 0 } # middle");
    expect(commentsOf(parseDocument(out))).toEqual(commentsOf(parseDocument(TEXT)));
  });

  it.each<[GraphEdit, string]>([
    [{ kind: "rename-node", from: "nope", to: "x" }, "FD140"],
    [{ kind: "rename-node", from: "lookup", to: "done" }, "FD141"],
    [{ kind: "rename-node", from: "lookup", to: "9 lives" }, "FD142"],
    [{ kind: "add-node", node: { name: "start", type: "start" } }, "FD141"],
    [{ kind: "add-edge", edge: { from: "start", to: "ghost" } }, "FD140"],
    [{ kind: "remove-edge", index: 7 }, "FD144"],
  ])("refuses %o with %s and leaves the document as it was", (edit, code) => {
    const doc = parseDocument(TEXT, PARSE_OPTIONS);
    const thrown = (() => {
      try {
        applyEdit(doc, edit);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(WorkflowEditError);
    expect((thrown as WorkflowEditError).code).toBe(code);
    expect(saveWorkflowDocument(doc, TEXT)).toBe(TEXT);
  });

  it("refuses to edit a document that is not a workflow mapping", () => {
    const doc = parseDocument("- just\n- a list\n", PARSE_OPTIONS);
    expect(() => applyEdit(doc, { kind: "remove-node", name: "x" })).toThrow(/FD143/);
  });
});
