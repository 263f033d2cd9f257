import { describe, expect, it } from "vitest";
import { createWorkflowValidator, type Problem } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);

/** A flow whose end node replies with `reply` and whose edge has `condition`, as YAML with known positions. */
function flow({ reply = "Bye", condition = "true" }: { reply?: string; condition?: string }): string {
  return [
    "name: bounded",
    "nodes:",
    "  - { name: start, type: start }",
    "  - name: done",
    "    type: end",
    `    config: { reply: '${reply}' }`,
    "edges:",
    `  - { from: start, to: done, condition: '${condition}' }`,
    "",
  ].join("\n");
}

const REPLY_COLUMN = "    config: { reply: '".length + 1;
const CONDITION_COLUMN = "  - { from: start, to: done, condition: '".length + 1;

function problems(text: string, code: string): Problem[] {
  return validator.validate(text).problems.filter((p) => p.code === code);
}

describe("templates read no files", () => {
  const targets = ["package.json", "../../package.json", ".flowdeck/jwt-secret"];
  const cases = ["include", "render", "layout"].flatMap((tag) => targets.map((target) => [tag, target]));

  it.each(cases)("%s of %s is FD136 at the tag", (tag, target) => {
    const reply = `Hi {% ${tag} "${target}" %}`;
    const [problem, ...rest] = problems(flow({ reply }), "FD136");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      severity: "error",
      path: "nodes[1].config.reply",
      line: 6,
      column: REPLY_COLUMN + "Hi ".length,
    });
    expect(problem!.message).toMatch(new RegExp(`\\{% ${tag} %\\}.*cannot read files`));
  });

  it("refuses a file tag inside {% liquid %} and one whose name is computed", () => {
    expect(problems(flow({ reply: "{% liquid render input.page %}" }), "FD136")).toHaveLength(1);
    expect(
      problems(flow({ reply: "{% if true %}{% include input.page %}{% endif %}" }), "FD136"),
    ).toHaveLength(1);
  });
});

describe("regular expressions run on RE2", () => {
  it("a backreference is FD137", () => {
    const [problem] = problems(flow({ condition: 'input.message.matches("(a)\\\\1")' }), "FD137");
    expect(problem).toMatchObject({ severity: "error", path: "edges[0].condition", line: 8 });
    expect(problem!.message).toMatch(/invalid escape.*backreferences/);
  });

  it.each([
    ["a lookahead", "^(?=a)b", /Perl syntax.*lookaround/],
    ["a lookbehind", "(?<!a)b", /lookaround/],
    ["a repeat over 1000", "a{1001}", /invalid repeat count/],
  ])("%s is FD137 at the pattern", (_label, pattern, message) => {
    const condition = `input.message.matches("${pattern}")`;
    const [problem, ...rest] = problems(flow({ condition }), "FD137");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      severity: "error",
      path: "edges[0].condition",
      line: 8,
      column: CONDITION_COLUMN + "input.message.matches(".length,
    });
    expect(problem!.message).toMatch(message);
  });

  it("accepts the patterns that backtrack for minutes in JavaScript: RE2 runs them in linear time", () => {
    for (const pattern of ["^(a|a)*$", "^(([a-z])+.)+[A-Z]([a-z])+$", "(x+x+)+y"]) {
      const result = validator.validate(flow({ condition: `input.message.matches("${pattern}")` }));
      expect(result.problems).toEqual([]);
    }
  });
});

describe("work that cannot be bounded from the text is a warning", () => {
  it.each([
    ["a loop of 100 million", "{% for i in (1..100000000) %}x{% endfor %}", /100,000,000 steps/],
    ["a range from data", "{% for i in (1..input.n) %}x{% endfor %}", /only known when the flow runs/],
    [
      "a loop in a loop",
      "{% for a in input.list %}{% for b in input.list %}x{% endfor %}{% endfor %}",
      /inside another loop/,
    ],
  ])("%s in a template is FD138", (_label, reply, message) => {
    const [problem, ...rest] = problems(flow({ reply }), "FD138");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: "warning", path: "nodes[1].config.reply", line: 6 });
    expect(problem!.message).toMatch(message);
  });

  it.each([
    ["a pattern only known at run", "input.message.matches(input.pattern)", /not written out/],
    ["a loop in a loop", "input.list.all(a, input.list.exists(b, a == b))", /exists\(\) inside another loop/],
  ])("%s in CEL is FD138", (_label, condition, message) => {
    const [problem, ...rest] = problems(flow({ condition }), "FD138");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: "warning", path: "edges[0].condition", line: 8 });
    expect(problem!.message).toMatch(message);
  });

  it("says nothing about small literal loops, single loops over data and written-out patterns", () => {
    const reply = "{% for i in (1..10) %}{{ i }}{% endfor %}{% for m in input.list %}{{ m }}{% endfor %}";
    const condition = 'input.list.all(x, x > 0) && input.message.matches("^#?[0-9]{5,10}$" + "|x")';
    expect(validator.validate(flow({ reply, condition })).problems).toEqual([]);
  });
});
