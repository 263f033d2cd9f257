import { describe, expect, it } from "vitest";
import { createWorkflowValidator, type Problem } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);

function only(text: string, code: string): Problem {
  const problems = validator.validate(text).problems.filter((p) => p.code === code);
  expect(problems, `expected one ${code}`).toHaveLength(1);
  return problems[0]!;
}

// Each case must be answered with its own code, at the right place, without throwing. The one-second bound
// is the issue's: it is a hang guard, not a speed assertion (speed lives in bench/).
const BOUND = { timeout: 1000 };

describe("hostile input", () => {
  it("refuses a 10 MB file before parsing it", BOUND, () => {
    const text = `name: big\nnodes: []\n# ${"x".repeat(10 * 1024 * 1024)}\n`;
    const problem = only(text, "FD101");
    expect(problem).toMatchObject({ severity: "error", line: 1, column: 1 });
    expect(problem.message).toMatch(/10\.0 MB.*2\.0 MB/);
  });

  it("refuses an alias bomb (billion laughs)", BOUND, () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const text = `${levels.join("\n")}\nname: bomb\nnodes: []\n`;
    const problem = only(text, "FD102");
    expect(problem.line).toBe(2);
  });

  it("refuses many aliases even when each expands to little", BOUND, () => {
    const text = `x: &x 1\nlist: [${Array(150).fill("*x").join(", ")}]\nname: n\nnodes: []\n`;
    expect(only(text, "FD102")).toMatchObject({ line: 2 });
  });

  it("refuses 10,000-deep flow nesting", BOUND, () => {
    const text = `name: deep\nnodes: []\nvars:\n  x: ${"[".repeat(10000)}${"]".repeat(10000)}\n`;
    const problem = only(text, "FD103");
    expect(problem.line).toBe(4);
  });

  it("places 10,000-deep flow nesting at its 65th level, however much stack is left", BOUND, () => {
    const text = `name: deep\nnodes: []\nvars:\n  x: ${"[".repeat(10000)}${"]".repeat(10000)}\n`;
    // The yaml parser runs out of stack on this file; where it stops depends on the stack left at the call.
    const withStackUsed = (frames: number): readonly Problem[] =>
      frames === 0 ? validator.validate(text).problems : withStackUsed(frames - 1);
    const direct = validator.validate(text).problems;
    expect(direct).toEqual([expect.objectContaining({ code: "FD103", line: 4, column: 6 + 64 })]);
    expect(withStackUsed(500)).toEqual(direct);
    expect(withStackUsed(3000)).toEqual(direct);
  });

  it("does not mistake brackets in quotes, comments or words for nesting", BOUND, () => {
    const inner = `${"[".repeat(100)}${"]".repeat(100)}`;
    const text = `name: deep # [[[[\nnodes: []\nvars:\n  a: "${"[".repeat(80)}"\n  b: don't [x]\n  x: ${"[".repeat(10000)}${"]".repeat(10000)}\n  y: ${inner}\n`;
    expect(validator.validate(text).problems).toEqual([
      expect.objectContaining({ code: "FD103", line: 6, column: 6 + 64 }),
    ]);
  });

  it("refuses 10,000-deep block nesting", BOUND, () => {
    const lines = ["name: deep", "nodes: []", "vars:"];
    for (let i = 1; i <= 10000; i += 1) lines.push(`${" ".repeat(i)}k${i}:`);
    const text = `${lines.join("\n")} 1\n`;
    // 10,000 levels of indentation are ~50 MB of spaces, so the size limit answers first; 400 levels stay under it.
    expect(validator.validate(text).problems.map((p) => p.code)).toEqual(["FD101"]);
    const moderate = [...lines.slice(0, 403)].join("\n") + " 1\n";
    const problem = only(moderate, "FD103");
    expect(problem.path).toMatch(/^vars\.k1\.k2/);
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses a %s key", BOUND, (key) => {
    const text = `name: proto\nnodes:\n  - name: start\n    type: start\n    config:\n      ${key}: { polluted: true }\n`;
    const problem = only(text, "FD104");
    expect(problem).toMatchObject({ line: 6, column: 7, path: `nodes[0].config.${key}` });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports broken YAML syntax with its position", BOUND, () => {
    const problem = only("name: x\nnodes:\n  - name: start\n    type: [start\n", "FD100");
    expect(problem.severity).toBe("error");
    expect(problem.line).toBeGreaterThanOrEqual(4);
  });

  it("reports a duplicate key", BOUND, () => {
    expect(only("name: a\nname: b\nnodes: []\n", "FD106")).toMatchObject({ line: 2, column: 1 });
  });

  it("says a list or a scalar is not a workflow", BOUND, () => {
    expect(only("- a\n- b\n", "FD105")).toMatchObject({ line: 1, column: 1 });
    expect(only("just text\n", "FD105").severity).toBe("error");
  });

  it("refuses a list used as a key", BOUND, () => {
    expect(only("name: k\nnodes: []\n? [a]\n: b\n", "FD108")).toMatchObject({ line: 3, column: 3 });
  });

  it("never throws on arbitrary text", BOUND, () => {
    for (const text of [
      "",
      "\u0000",
      ":",
      "{",
      "- - -",
      "? [a]\n: b",
      "&a *a",
      "!!js/function x",
      "%YAML 9.9\n---\na: 1",
    ]) {
      const result = validator.validate(text);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});
