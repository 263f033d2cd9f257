import { describe, expect, it } from "vitest";
import { createWorkflowValidator } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);

function flow(nodes: string[], edges: string[]): string {
  return `name: g\nnodes:\n${nodes.map((n) => `  - ${n}`).join("\n")}\nedges:\n${edges.map((e) => `  - ${e}`).join("\n")}\n`;
}
const codes = (text: string) => validator.validate(text).problems.map((p) => p.code);
const START = "{ name: start, type: start }";
const END = "{ name: done, type: end }";
const AGENT = (name: string) => `{ name: ${name}, type: agent, config: { prompt_template: hi } }`;

describe("graph checks", () => {
  it("needs a start node", () => {
    expect(codes(flow([AGENT("a"), END], ["{ from: a, to: done }"]))).toEqual(["FD120"]);
  });

  it("allows one start only", () => {
    const text = flow(
      [START, "{ name: start2, type: start }", END],
      ["{ from: start, to: done }", "{ from: start2, to: done }"],
    );
    expect(validator.validate(text).problems).toMatchObject([
      { code: "FD121", path: "nodes[1].type", line: 4 },
    ]);
  });

  it("refuses duplicate names", () => {
    expect(codes(flow([START, AGENT("a"), AGENT("a")], ["{ from: start, to: a }"]))).toEqual(["FD122"]);
  });

  it("reports dangling edges at the end that is wrong", () => {
    const result = validator.validate(
      flow([START, END], ["{ from: start, to: dnoe }", "{ from: nowhere, to: done }"]),
    );
    expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
      "FD124 nodes[1].name",
      "FD123 edges[0].to",
      "FD123 edges[1].from",
    ]);
  });

  it("warns about unreachable nodes", () => {
    const result = validator.validate(flow([START, AGENT("a"), END], ["{ from: start, to: done }"]));
    expect(result.problems).toMatchObject([{ code: "FD124", severity: "warning", path: "nodes[1].name" }]);
    expect(result.errorCount).toBe(0);
  });

  it("refuses edges from ports a node does not have", () => {
    const cond = "{ name: check, type: condition, config: { expression: 'true' } }";
    expect(
      codes(flow([START, cond, END], ["{ from: start, to: check }", "{ from: check, to: done }"])),
    ).toEqual(["FD126"]);
    expect(
      codes(
        flow([START, cond, END], ["{ from: start, to: check }", "{ from: check, to: done, port: then }"]),
      ),
    ).toEqual([]);
    const fromEnd = validator.validate(
      flow([START, END, AGENT("a")], ["{ from: start, to: done }", "{ from: done, to: a }"]),
    );
    expect(fromEnd.problems).toMatchObject([{ code: "FD126", path: "edges[1].from" }]);
    expect(fromEnd.problems[0]?.message).toContain("no outgoing ports");
  });

  it("refuses a loop that never waits and counts nothing", () => {
    const text = flow(
      [START, AGENT("a"), AGENT("b")],
      ["{ from: start, to: a }", "{ from: a, to: b }", "{ from: b, to: a }"],
    );
    const result = validator.validate(text);
    expect(result.problems).toMatchObject([{ code: "FD125", path: "edges[2]" }]);
    expect(result.problems[0]?.message).toContain("a → b");
    expect(codes(flow([START, AGENT("a")], ["{ from: start, to: a }", "{ from: a, to: a }"]))).toEqual([
      "FD125",
    ]);
  });

  it("allows a loop through an ask node", () => {
    const ask = "{ name: q, type: ask, config: { prompt: again?, variable: answer } }";
    expect(
      codes(
        flow(
          [START, AGENT("a"), ask],
          ["{ from: start, to: a }", "{ from: a, to: q }", "{ from: q, to: a }"],
        ),
      ),
    ).toEqual([]);
  });

  it("allows a loop with a counter that a condition reads", () => {
    const count = "{ name: count, type: set, config: { expressions: { tries: 'vars.tries + 1' } } }";
    const edges = [
      "{ from: start, to: a }",
      "{ from: a, to: count }",
      "{ from: count, to: a, condition: 'vars.tries < 3' }",
    ];
    expect(codes(flow([START, AGENT("a"), count], edges))).toEqual([]);
    const uncounted = edges.map((e) => e.replace("vars.tries < 3", "true"));
    expect(codes(flow([START, AGENT("a"), count], uncounted))).toEqual(["FD125"]);
  });

  it("checks a long chain without overflowing the stack", () => {
    const nodes = [START, ...Array.from({ length: 3000 }, (_, i) => AGENT(`n${i}`))];
    const edges = [
      "{ from: start, to: n0 }",
      ...Array.from({ length: 2999 }, (_, i) => `{ from: n${i}, to: n${i + 1} }`),
    ];
    edges.push("{ from: n2999, to: n0 }");
    expect(codes(flow(nodes, edges))).toEqual(["FD125"]);
  });

  it("warns about layout entries for unknown nodes", () => {
    const text = `${flow([START, END], ["{ from: start, to: done }"])}layout:\n  ghost: { x: 1, y: 2 }\n`;
    expect(validator.validate(text).problems).toMatchObject([{ code: "FD127", line: 8, column: 3 }]);
  });
});
