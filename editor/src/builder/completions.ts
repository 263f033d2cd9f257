import { TEMPLATE_ROOTS } from "@flowdeck/schemas";

/** A tree of names templates and expressions can read: `nodes.<name>.output`, `vars.<name>`, `input.<name>`. */
export type CompletionTree = ReadonlyMap<string, CompletionTree>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const leaf: CompletionTree = new Map();

/**
 * What a field of the workflow `value` can refer to: every node (and its output), every variable a `set` or
 * `ask` node writes or `vars:` declares, `input.message` and the start node's declared inputs, the declared
 * `entities`, and the conversation's own fields with the memory keys a `set` node's `conversation` writes.
 */
export function completionTree(
  value: Record<string, unknown> | undefined,
  extraRoots: readonly string[] = [],
): CompletionTree {
  const nodes = new Map<string, CompletionTree>();
  const vars = new Map<string, CompletionTree>();
  const input = new Map<string, CompletionTree>([["message", leaf]]);
  const entities = new Map<string, CompletionTree>();
  const conversation = new Map<string, CompletionTree>(
    ["id", "channel", "history", "last_message"].map((key) => [key, leaf]),
  );
  if (isRecord(value?.vars)) for (const key of Object.keys(value.vars)) vars.set(key, leaf);
  if (isRecord(value?.entities)) for (const key of Object.keys(value.entities)) entities.set(key, leaf);
  for (const node of Array.isArray(value?.nodes) ? value.nodes : []) {
    if (!isRecord(node) || typeof node.name !== "string") continue;
    nodes.set(node.name, new Map([["output", leaf]]));
    const config = isRecord(node.config) ? node.config : {};
    if (node.type === "set") {
      for (const group of [config.values, config.expressions]) {
        if (isRecord(group)) for (const key of Object.keys(group)) vars.set(key, leaf);
      }
      if (isRecord(config.conversation))
        for (const key of Object.keys(config.conversation)) conversation.set(key, leaf);
    }
    if (node.type === "ask" && typeof config.variable === "string") vars.set(config.variable, leaf);
    if (node.type === "start" && Array.isArray(config.inputs)) {
      for (const item of config.inputs)
        if (isRecord(item) && typeof item.name === "string") input.set(item.name, leaf);
    }
  }
  const roots = new Map<string, CompletionTree>();
  for (const root of [...TEMPLATE_ROOTS, ...extraRoots]) roots.set(root, leaf);
  roots.set("input", input);
  roots.set("vars", vars);
  roots.set("nodes", nodes);
  roots.set("entities", entities);
  roots.set("conversation", conversation);
  return roots;
}

export interface CompletionQuery {
  /** Where the word being completed starts in the text. */
  readonly from: number;
  readonly partial: string;
  readonly options: readonly string[];
}

/**
 * The suggestions at `caret`: after `nodes.` the node names, after `vars.` the variables, and so on. In a
 * template, only inside `{{ }}` or `{% %}`; in an expression, anywhere.
 */
export function completionsAt(
  text: string,
  caret: number,
  tree: CompletionTree,
  kind: "template" | "expression",
): CompletionQuery | undefined {
  const before = text.slice(0, caret);
  if (kind === "template") {
    const open = Math.max(before.lastIndexOf("{{"), before.lastIndexOf("{%"));
    const close = Math.max(before.lastIndexOf("}}"), before.lastIndexOf("%}"));
    if (open < 0 || close > open) return undefined;
  }
  const match = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*$/.exec(before);
  const path = match?.[0] ?? "";
  const segments = path.split(".");
  const partial = segments.pop() ?? "";
  let node: CompletionTree | undefined = tree;
  for (const segment of segments) node = node?.get(segment);
  if (!node || node.size === 0) return undefined;
  // Nothing typed yet after `{{ `: offer the roots; in an expression wait for the first letter.
  if (segments.length === 0 && partial === "" && kind === "expression") return undefined;
  const options = [...node.keys()].filter((name) => name.startsWith(partial) && name !== partial);
  if (options.length === 0) return undefined;
  return { from: caret - partial.length, partial, options };
}
