import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { WorkflowEditError } from "./edit-error";
import type { PathSegment } from "./problem";
import { IDENTIFIER_PATTERN } from "./workflow-schema";
import type { LayoutPosition, WorkflowEdge, WorkflowNode } from "./workflow-types";

/** A change made on the canvas, applied to the YAML document so that everything else the user wrote stays. */
export type GraphEdit =
  | { readonly kind: "add-node"; readonly node: WorkflowNode; readonly position?: LayoutPosition }
  | { readonly kind: "remove-node"; readonly name: string }
  | { readonly kind: "move-node"; readonly name: string; readonly position: LayoutPosition }
  | { readonly kind: "add-edge"; readonly edge: WorkflowEdge }
  | { readonly kind: "remove-edge"; readonly index: number }
  /** `value: undefined` removes the field. */
  | {
      readonly kind: "set-config";
      readonly node: string;
      readonly path: readonly PathSegment[];
      readonly value: unknown;
    }
  | { readonly kind: "rename-node"; readonly from: string; readonly to: string }
  /** Changes edge `index` in place (its comments stay): a string sets the field, `null` removes it, absent keeps it. */
  | {
      readonly kind: "set-edge";
      readonly index: number;
      readonly condition?: string | null;
      readonly port?: string | null;
      readonly to?: string;
    }
  /** Moves edge `from` to position `to` of the `edges:` list (edges are tried in list order), with its comments. */
  | { readonly kind: "move-edge"; readonly from: number; readonly to: number }
  /** A node field outside `config` (`description`, `retry`, `timeout_ms`); `value: undefined` removes it. */
  | {
      readonly kind: "set-node-field";
      readonly node: string;
      readonly path: readonly PathSegment[];
      readonly value: unknown;
    }
  /** A top-level workflow field (`trigger`, `inputs`, `metadata`, `description` …); `value: undefined` removes it. */
  | { readonly kind: "set-workflow-field"; readonly path: readonly PathSegment[]; readonly value: unknown };

const identifier = new RegExp(IDENTIFIER_PATTERN);

function rootMap(doc: Document): YAMLMap {
  if (!isMap(doc.contents)) throw new WorkflowEditError("FD143", "the document's top level is not a mapping");
  return doc.contents;
}

function sequence(doc: Document, key: "nodes" | "edges"): YAMLSeq {
  const root = rootMap(doc);
  const existing = root.get(key, true);
  if (isSeq(existing)) return existing;
  if (existing !== undefined && existing !== null && !(isScalar(existing) && existing.value === null)) {
    throw new WorkflowEditError("FD143", `"${key}" is not a list`);
  }
  const created = doc.createNode([]) as YAMLSeq;
  root.set(key, created);
  return created;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}

function findNode(doc: Document, name: string): { map: YAMLMap; index: number } {
  const nodes = sequence(doc, "nodes");
  const index = nodes.items.findIndex((item) => isMap(item) && scalarText(item.get("name", true)) === name);
  if (index < 0) throw new WorkflowEditError("FD140", `no node is called "${name}"`);
  return { map: nodes.items[index] as YAMLMap, index };
}

function nodeNames(doc: Document): string[] {
  return sequence(doc, "nodes")
    .items.map((item) => (isMap(item) ? scalarText(item.get("name", true)) : undefined))
    .filter((name): name is string => name !== undefined);
}

function checkNewName(doc: Document, name: string): void {
  if (!identifier.test(name)) throw new WorkflowEditError("FD142", `"${name}" is not a valid node name`);
  if (nodeNames(doc).includes(name))
    throw new WorkflowEditError("FD141", `a node is already called "${name}"`);
}

function layoutMap(doc: Document, create: boolean): YAMLMap | undefined {
  const root = rootMap(doc);
  const layout = root.get("layout", true);
  if (isMap(layout)) return layout;
  if (!create) return undefined;
  const created = doc.createNode({}) as YAMLMap;
  root.set("layout", created);
  return created;
}

/** New collections follow the style of their neighbours: a flow `{ from: a, to: b }` list stays one. */
function likeSiblings(doc: Document, list: YAMLSeq, value: unknown, fallbackFlow: boolean) {
  const last = list.items[list.items.length - 1];
  const flow = isMap(last) ? last.flow === true : fallbackFlow;
  const node = doc.createNode(value);
  if (isMap(node)) node.flow = flow;
  return node;
}

function position(doc: Document, value: LayoutPosition) {
  const node = doc.createNode({ x: Math.round(value.x), y: Math.round(value.y) }) as YAMLMap;
  node.flow = true;
  return node;
}

export function applyEdit(doc: Document, edit: GraphEdit): void {
  switch (edit.kind) {
    case "add-node": {
      checkNewName(doc, edit.node.name);
      sequence(doc, "nodes").add(doc.createNode(edit.node));
      if (edit.position) layoutMap(doc, true)!.set(edit.node.name, position(doc, edit.position));
      return;
    }
    case "remove-node": {
      const { index } = findNode(doc, edit.name);
      sequence(doc, "nodes").items.splice(index, 1);
      const edges = sequence(doc, "edges");
      edges.items = edges.items.filter(
        (item) =>
          !(
            isMap(item) &&
            (scalarText(item.get("from", true)) === edit.name ||
              scalarText(item.get("to", true)) === edit.name)
          ),
      );
      layoutMap(doc, false)?.delete(edit.name);
      return;
    }
    case "move-node": {
      findNode(doc, edit.name);
      const layout = layoutMap(doc, true)!;
      const entry = layout.get(edit.name, true);
      if (isMap(entry)) {
        // Setting the scalars in place keeps the entry's comments and style.
        entry.set("x", Math.round(edit.position.x));
        entry.set("y", Math.round(edit.position.y));
      } else {
        layout.set(edit.name, position(doc, edit.position));
      }
      return;
    }
    case "add-edge": {
      const names = nodeNames(doc);
      for (const end of [edit.edge.from, edit.edge.to]) {
        if (!names.includes(end)) throw new WorkflowEditError("FD140", `no node is called "${end}"`);
      }
      const edges = sequence(doc, "edges");
      const added = likeSiblings(doc, edges, stripUndefined(edit.edge), true);
      if (isMap(added)) quoteCondition(added);
      edges.add(added);
      return;
    }
    case "remove-edge": {
      const edges = sequence(doc, "edges");
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index >= edges.items.length) {
        throw new WorkflowEditError("FD144", `there is no edge number ${edit.index + 1}`);
      }
      edges.items.splice(edit.index, 1);
      return;
    }
    case "set-config": {
      const { map } = findNode(doc, edit.node);
      const existing: unknown = map.get("config", true);
      let target: YAMLMap;
      if (isMap(existing)) target = existing;
      else {
        if (edit.value === undefined) return;
        target = doc.createNode({}) as YAMLMap;
        map.set("config", target);
      }
      if (edit.value === undefined) target.deleteIn(edit.path);
      else if (
        edit.path.length === 1 &&
        isScalar(target.get(edit.path[0], true)) &&
        isPrimitive(edit.value)
      ) {
        // Changing the scalar's value (rather than replacing the node) keeps its comment and quoting.
        (target.get(edit.path[0], true) as Scalar).value = edit.value;
      } else target.setIn(edit.path, doc.createNode(edit.value));
      return;
    }
    case "rename-node":
      renameNode(doc, edit.from, edit.to);
      return;
    case "set-edge":
      setEdge(doc, edit);
      return;
    case "move-edge": {
      const edges = sequence(doc, "edges");
      edgeAt(edges, edit.from);
      edgeAt(edges, edit.to);
      const [item] = edges.items.splice(edit.from, 1);
      edges.items.splice(edit.to, 0, item);
      return;
    }
    case "set-node-field": {
      const key = edit.path[0];
      if (key === "name" || key === "type" || key === "config" || edit.path.length === 0) {
        throw new WorkflowEditError("FD145", `"${String(key)}" is not changed with set-node-field`);
      }
      setIn(doc, findNode(doc, edit.node).map, edit.path, edit.value);
      return;
    }
    case "set-workflow-field": {
      const key = edit.path[0];
      if (key === "nodes" || key === "edges" || key === "layout" || edit.path.length === 0) {
        throw new WorkflowEditError("FD145", `"${String(key)}" is not changed with set-workflow-field`);
      }
      setIn(doc, rootMap(doc), edit.path, edit.value);
      return;
    }
  }
}

/** CEL is written in double quotes, as in the seeds: plain, `output.route == 'faq'` reads like YAML syntax. */
function quoteCondition(edge: YAMLMap): void {
  const condition = edge.get("condition", true);
  if (isScalar(condition) && typeof condition.value === "string") condition.type = "QUOTE_DOUBLE";
}

function edgeAt(edges: YAMLSeq, index: number): YAMLMap {
  const item = Number.isInteger(index) && index >= 0 ? edges.items[index] : undefined;
  if (!isMap(item)) throw new WorkflowEditError("FD144", `there is no edge number ${index + 1}`);
  return item;
}

function setEdge(doc: Document, edit: Extract<GraphEdit, { kind: "set-edge" }>): void {
  const edge = edgeAt(sequence(doc, "edges"), edit.index);
  if (edit.to !== undefined) {
    if (!nodeNames(doc).includes(edit.to))
      throw new WorkflowEditError("FD140", `no node is called "${edit.to}"`);
    setIn(doc, edge, ["to"], edit.to);
  }
  if (edit.port !== undefined) setIn(doc, edge, ["port"], edit.port ?? undefined);
  if (edit.condition !== undefined) {
    const condition = edit.condition?.trim() === "" ? undefined : (edit.condition ?? undefined);
    const before = edge.get("condition", true);
    setIn(doc, edge, ["condition"], condition);
    // A condition the user wrote keeps its quoting; a new one is double-quoted like the seeds'.
    if (!isScalar(before)) quoteCondition(edge);
  }
}

/** Sets (or with `undefined` removes) `path` below `map`; a scalar changed in place keeps its comment and quoting. */
function setIn(doc: Document, map: YAMLMap, path: readonly PathSegment[], value: unknown): void {
  if (value === undefined) {
    map.deleteIn(path);
    return;
  }
  const current: unknown = map.getIn(path, true);
  if (isScalar(current) && isPrimitive(value)) current.value = value;
  else map.setIn(path, doc.createNode(value));
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function setScalar(node: unknown, value: string): void {
  if (isScalar(node)) node.value = value;
}

/** Renames the node and everything that names it: edges, its layout entry, `nodes.<name>` in templates and conditions. */
function renameNode(doc: Document, from: string, to: string): void {
  if (from === to) return;
  const { map } = findNode(doc, from);
  checkNewName(doc, to);
  setScalar(map.get("name", true), to);
  for (const item of sequence(doc, "edges").items) {
    if (!isMap(item)) continue;
    for (const end of ["from", "to"])
      if (scalarText(item.get(end, true)) === from) setScalar(item.get(end, true), to);
  }
  const layout = layoutMap(doc, false);
  const entry = layout?.items.find((pair) => isPair(pair) && scalarText(pair.key) === from);
  if (entry) setScalar(entry.key, to);

  const reference = new RegExp(`(?<![A-Za-z0-9_])nodes(\\.|\\[\\s*["'])${from}(?![A-Za-z0-9_])`, "g");
  const rewrite = (node: unknown) => {
    const text = scalarText(node);
    if (text !== undefined && text.includes(from)) setScalar(node, text.replace(reference, `nodes$1${to}`));
  };
  for (const item of sequence(doc, "nodes").items) {
    const config = isMap(item) ? item.get("config", true) : undefined;
    if (isMap(config) || isSeq(config)) visit(config, { Scalar: (_key, node) => rewrite(node) });
  }
  for (const item of sequence(doc, "edges").items) {
    if (isMap(item)) rewrite(item.get("condition", true));
  }
}
