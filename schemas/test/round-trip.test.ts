import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { isMap, parseDocument, type Document } from "yaml";
import { describe, expect, it } from "vitest";
import {
  applyEdit,
  commentsOf,
  PARSE_OPTIONS,
  saveWorkflowDocument,
  WorkflowEditError,
  type GraphEdit,
} from "../src/index";

const WORKFLOWS = join(import.meta.dirname, "../../workflows");
const FIXTURES = join(import.meta.dirname, "fixtures");
const files = [
  ...readdirSync(WORKFLOWS)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(WORKFLOWS, f)),
  join(FIXTURES, "hand-written.yaml"),
];

/** An edit described by numbers, turned into a concrete edit against the document as it is at that moment. */
type Intent =
  | { op: "add"; x: number; y: number }
  | { op: "remove" | "rename"; pick: number }
  | { op: "move"; pick: number; x: number; y: number }
  | { op: "connect"; pick: number; other: number; conditional: boolean }
  | { op: "disconnect"; pick: number }
  | { op: "config"; pick: number; text: string };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({
    op: fc.constant("add" as const),
    x: fc.integer({ min: -2000, max: 2000 }),
    y: fc.integer({ min: -2000, max: 2000 }),
  }),
  fc.record({ op: fc.constantFrom("remove" as const, "rename" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("move" as const), pick: fc.nat(), x: fc.integer(), y: fc.integer() }),
  fc.record({
    op: fc.constant("connect" as const),
    pick: fc.nat(),
    other: fc.nat(),
    conditional: fc.boolean(),
  }),
  fc.record({ op: fc.constant("disconnect" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("config" as const), pick: fc.nat(), text: fc.string({ maxLength: 30 }) }),
);

function names(doc: Document): string[] {
  const data = doc.toJS() as { nodes?: Array<{ name: string }> };
  return (data.nodes ?? []).map((n) => n.name);
}

let counter = 0;

/** Applies one intent; returns the comments that legitimately disappear with what it removes. */
function apply(doc: Document, step: Intent): string[] {
  const all = names(doc);
  const pick = (n: number) => all[n % Math.max(1, all.length)];
  const edges = ((doc.toJS() as { edges?: unknown[] }).edges ?? []).length;
  let edit: GraphEdit | undefined;
  let lost: string[] = [];
  switch (step.op) {
    case "add":
      edit = {
        kind: "add-node",
        node: { name: `added_${(counter += 1)}`, type: "reply", config: { text: "Hi" } },
        position: step,
      };
      break;
    case "remove": {
      const name = pick(step.pick);
      if (name === undefined) return [];
      lost = commentsInvolving(doc, name);
      edit = { kind: "remove-node", name };
      break;
    }
    case "rename": {
      const name = pick(step.pick);
      if (name !== undefined) edit = { kind: "rename-node", from: name, to: `renamed_${(counter += 1)}` };
      break;
    }
    case "move": {
      const name = pick(step.pick);
      if (name !== undefined) edit = { kind: "move-node", name, position: step };
      break;
    }
    case "connect": {
      const [from, to] = [pick(step.pick), pick(step.other)];
      if (from !== undefined && to !== undefined) {
        edit = {
          kind: "add-edge",
          edge: { from, to, ...(step.conditional ? { condition: "input.message != ''" } : {}) },
        };
      }
      break;
    }
    case "disconnect":
      if (edges > 0) {
        const index = step.pick % edges;
        lost = commentsOfNode((doc.get("edges", true) as { items: unknown[] }).items[index]);
        edit = { kind: "remove-edge", index };
      }
      break;
    case "config": {
      const name = pick(step.pick);
      if (name !== undefined)
        edit = { kind: "set-config", node: name, path: ["note_field"], value: step.text };
      break;
    }
  }
  if (edit) {
    try {
      applyEdit(doc, edit);
    } catch (error) {
      if (!(error instanceof WorkflowEditError)) throw error;
      return [];
    }
  }
  return lost;
}

function commentsOfNode(node: unknown): string[] {
  const holder = parseDocument("x: 1");
  holder.contents = node as never;
  return commentsOf(holder);
}

/** Comments attached to the node itself, to the edges touching it and to its layout entry. */
function commentsInvolving(doc: Document, name: string): string[] {
  const lost: string[] = [];
  const nodes = doc.get("nodes", true) as { items: unknown[] };
  for (const item of nodes.items)
    if (isMap(item) && item.get("name") === name) lost.push(...commentsOfNode(item));
  const edges = doc.get("edges", true) as { items: unknown[] } | undefined;
  for (const item of edges?.items ?? []) {
    if (isMap(item) && (item.get("from") === name || item.get("to") === name))
      lost.push(...commentsOfNode(item));
  }
  const layout = doc.get("layout", true);
  if (isMap(layout)) {
    const pair = layout.items.find((p) => (p.key as { value?: unknown })?.value === name);
    if (pair) lost.push(...commentsOfNode(pair.value), ...commentsOfNode(pair.key));
  }
  return lost;
}

function withoutOnce(all: string[], removed: string[]): string[] {
  const left = [...all];
  for (const comment of removed) {
    const at = left.indexOf(comment);
    if (at >= 0) left.splice(at, 1);
  }
  return left;
}

describe("untouched formatting", () => {
  it("a canvas edit on a hand-written file changes only the lines it touches", () => {
    const text = readFileSync(join(FIXTURES, "hand-written.yaml"), "utf8");
    const doc = parseDocument(text, PARSE_OPTIONS);
    applyEdit(doc, { kind: "move-node", name: "greet", position: { x: 300, y: 40 } });
    applyEdit(doc, { kind: "set-config", node: "answer", path: ["model"], value: "gpt-4o" });
    const before = text.split("\n");
    const after = saveWorkflowDocument(doc, text).split("\n");
    const changed = after.filter((line) => !before.includes(line));
    expect(changed).toEqual([
      '  config: { prompt_template: "Answer: {{ input.message }}", model: gpt-4o }',
      "  greet: { x: 300, y: 40 } # aligned",
    ]);
    expect(after.length).toBe(before.length);
  });
});

describe.each(files.map((f) => [f.split("/").slice(-2).join("/"), f]))("round trip of %s", (_label, file) => {
  const text = readFileSync(file, "utf8");

  it("load → save is byte-identical", () => {
    expect(saveWorkflowDocument(parseDocument(text, PARSE_OPTIONS), text)).toBe(text);
  });

  it("load → any sequence of graph edits → save keeps every comment and the edited data", () => {
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 12 }), (steps) => {
        const doc = parseDocument(text, PARSE_OPTIONS);
        let lost: string[] = [];
        for (const step of steps) lost = lost.concat(apply(doc, step));
        const saved = saveWorkflowDocument(doc, text);
        const reloaded = parseDocument(saved, PARSE_OPTIONS);
        expect(reloaded.errors).toEqual([]);
        expect(reloaded.toJS()).toEqual(doc.toJS());
        const expected = withoutOnce(commentsOf(parseDocument(text)), lost).sort();
        const kept = commentsOf(reloaded);
        for (const comment of expected) expect(kept).toContain(comment);
        expect(kept.length).toBeGreaterThanOrEqual(expected.length);
      }),
      { numRuns: 60 },
    );
  });
});
