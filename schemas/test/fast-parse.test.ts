import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { fastParse } from "../src/fast-parse";
import { DEFAULT_LIMITS } from "../src/index";

const WORKFLOWS = join(import.meta.dirname, "../../workflows");

// The fast path is only allowed to exist if it reads every file exactly as the `yaml` package does.
describe("fast parse agrees with the yaml package", () => {
  it.each(readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yaml")))("on %s", (file) => {
    const text = readFileSync(join(WORKFLOWS, file), "utf8");
    const quick = fastParse(text, DEFAULT_LIMITS);
    expect(quick).toBeDefined();
    expect(quick).toEqual(parse(text));
  });

  it.each([
    "v: -.5",
    "v: 0b101",
    "v: +0x1F",
    "v: -0",
    "a: &x [1]\nb: *x",
    "__proto__: 1",
    "a: [",
    "a: 1\na: 2",
  ])("leaves %j to the full loader", (text) => {
    expect(fastParse(text, DEFAULT_LIMITS)).toBeUndefined();
  });

  it("on random documents in random styles", () => {
    const tricky = fc.constantFrom(
      "yes",
      "no",
      "on",
      "~",
      "null",
      "1_000",
      "1e3",
      ".inf",
      "-.Inf",
      ".nan",
      "0o17",
      "017",
      "0x1F",
      "2001-12-14",
      "12:30",
      "+1",
      "1.",
      "",
      " ",
      "#",
      "a: b",
      "- x",
      "'",
      '"',
      "\\",
      "{{ input.message }}",
      "{% if x %}",
    );
    const key = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), tricky);
    const leaf = fc.oneof(
      fc.string({ maxLength: 12 }),
      tricky,
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(key, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
    const style = fc.record({ flow: fc.boolean(), quote: fc.boolean(), indentSeq: fc.boolean() });
    fc.assert(
      fc.property(document, style, (doc, options) => {
        const text = stringify(doc, {
          collectionStyle: options.flow ? "flow" : "any",
          defaultStringType: options.quote ? "QUOTE_DOUBLE" : "PLAIN",
          indentSeq: options.indentSeq,
        });
        // Falling back (undefined) is always allowed; a fast answer must be the same answer.
        const quick = fastParse(text, DEFAULT_LIMITS);
        return quick === undefined || JSON.stringify(quick) === JSON.stringify(parse(text));
      }),
      { numRuns: 500 },
    );
  });
});
