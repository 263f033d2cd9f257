import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import {
  applyEdit,
  branchHandles,
  branchRenameEdits,
  createWorkflowValidator,
  edgeBranch,
  edgeFromHandle,
  PARSE_OPTIONS,
  saveWorkflowDocument,
  WorkflowEditError,
  type BranchSpec,
  type GraphEdit,
} from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const ROUTER: BranchSpec = {
  perItem: {
    list: "intents",
    key: "name",
    port: "out",
    condition: "output.route == '{value}'",
    otherwise: "fallback",
  },
};
const INTENTS = { intents: [{ name: "faq" }, { name: "refund" }] };

describe("branches: handles are a reading of the edges", () => {
  it("gives a router one handle per intent, then its fallback and error ports", () => {
    const handles = branchHandles(["out", "error"], ROUTER, INTENTS);
    expect(handles.map((h) => [h.id, h.label, h.port, h.condition])).toEqual([
      ["case:faq", "faq", "out", "output.route == 'faq'"],
      ["case:refund", "refund", "out", "output.route == 'refund'"],
      ["out", "fallback", "out", undefined],
      ["error", "error", "error", undefined],
    ]);
  });

  it("reads the seed's edges as branches, whatever the quotes and spaces", () => {
    const handles = branchHandles(["out", "error"], ROUTER, INTENTS);
    expect(edgeBranch(handles, { port: "out", condition: 'output.route=="refund"' }, false)).toEqual({
      handleId: "case:refund",
      label: "refund",
    });
    expect(edgeBranch(handles, { port: "out" }, true)).toEqual({ handleId: "out", label: "fallback" });
    expect(edgeBranch(handles, { port: "out", condition: "vars.vip" }, false)).toEqual({
      handleId: "out",
      label: "condition",
    });
    const ask = branchHandles(["out", "error"], { portLabels: { out: "answer", error: "timeout" } }, {});
    expect(edgeBranch(ask, { port: "error" }, false)).toEqual({ handleId: "error", label: "timeout" });
    const plain = branchHandles(["out", "error"], undefined, {});
    expect(edgeBranch(plain, { port: "out" }, false).label).toBeUndefined();
    expect(edgeBranch(plain, { port: "out" }, true).label).toBe("otherwise");
  });

  it("writes the branch's condition or port when an edge is drawn from a handle", () => {
    const handles = branchHandles(["out", "error"], ROUTER, INTENTS);
    expect(edgeFromHandle(handles, "case:faq")).toEqual({ port: "out", condition: "output.route == 'faq'" });
    expect(edgeFromHandle(handles, "error")).toEqual({ port: "error" });
    expect(edgeFromHandle(branchHandles(["then", "else"], undefined, {}), "else")).toEqual({ port: "else" });
  });

  it("moves an intent's edges when the intent is renamed in place", () => {
    const edges = [
      { from: "r", to: "a", condition: "output.route == 'faq'" },
      { from: "r", to: "b", condition: "output.route == 'refund'" },
      { from: "other", to: "b", condition: "output.route == 'faq'" },
    ];
    const after = { intents: [{ name: "questions" }, { name: "refund" }] };
    expect(branchRenameEdits(ROUTER, "r", INTENTS, after, edges)).toEqual([
      { kind: "set-edge", index: 0, condition: "output.route == 'questions'" },
    ]);
    // Removing an intent is not a rename: its edge stays for the checks to show.
    expect(branchRenameEdits(ROUTER, "r", INTENTS, { intents: [{ name: "refund" }] }, edges)).toEqual([]);
  });
});

const TEXT = `name: demo
nodes:
  - { name: start, type: start }
  - { name: a, type: end }
  - { name: b, type: end }
edges:
  # the catch-all
  - { from: start, to: a } # first
  - { from: start, to: b, condition: "vars.vip" } # second
`;

function edited(...edits: GraphEdit[]): string {
  const doc = parseDocument(TEXT, PARSE_OPTIONS);
  for (const edit of edits) applyEdit(doc, edit);
  return saveWorkflowDocument(doc, TEXT);
}

describe("edge edits keep what the user wrote", () => {
  it("set-edge changes the condition and port in place and removes them with null", () => {
    const text = edited({ kind: "set-edge", index: 1, condition: "vars.gold", port: "error" });
    expect(text).toContain(`- { from: start, to: b, condition: "vars.gold", port: error } # second`);
    expect(edited({ kind: "set-edge", index: 1, condition: null })).toContain(
      "- { from: start, to: b } # second",
    );
  });

  it("move-edge reorders siblings with their comments", () => {
    const text = edited({ kind: "move-edge", from: 1, to: 0 });
    expect(text.indexOf("to: b")).toBeLessThan(text.indexOf("to: a"));
    expect(text).toContain("# second");
    expect(text).toContain("# first");
  });

  it("set-node-field and set-workflow-field write outside config, and refuse the fields with edits of their own", () => {
    const text = edited(
      { kind: "set-node-field", node: "a", path: ["retry"], value: { attempts: 3 } },
      { kind: "set-node-field", node: "a", path: ["timeout_ms"], value: 5000 },
      { kind: "set-workflow-field", path: ["trigger"], value: { type: "webhook" } },
    );
    expect(parseDocument(text).toJS().nodes[1]).toMatchObject({ retry: { attempts: 3 }, timeout_ms: 5000 });
    expect(parseDocument(text).toJS().trigger).toEqual({ type: "webhook" });
    expect(() => edited({ kind: "set-node-field", node: "a", path: ["name"], value: "x" })).toThrow(
      WorkflowEditError,
    );
    expect(() => edited({ kind: "move-edge", from: 5, to: 0 })).toThrow(/FD144/);
  });
});

describe("FD128: an edge that always matches hides the later ones", () => {
  const validator = createWorkflowValidator(testCatalog);
  it("warns at the dead edge's line, for no condition and for an always-true one", () => {
    const problems = validator.validate(TEXT).problems.filter((p) => p.code === "FD128");
    expect(problems).toMatchObject([{ severity: "warning", path: "edges[1]", line: 9 }]);
    const alwaysTrue = TEXT.replace("{ from: start, to: a }", '{ from: start, to: a, condition: "1 == 1" }');
    expect(validator.validate(alwaysTrue).problems.map((p) => p.code)).toContain("FD128");
  });

  it("is quiet when the catch-all comes last or the ports differ", () => {
    const doc = parseDocument(TEXT, PARSE_OPTIONS);
    applyEdit(doc, { kind: "move-edge", from: 1, to: 0 });
    expect(validator.validate(String(doc)).problems.map((p) => p.code)).not.toContain("FD128");
  });
});
