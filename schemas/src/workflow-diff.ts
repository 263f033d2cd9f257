import { DEFAULT_PORT, type Workflow, type WorkflowEdge, type WorkflowNode } from "./workflow-types";

/** One field that differs, by path inside the node (`config.model`, `retry.attempts`) or the document. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface EdgeRef {
  readonly from: string;
  readonly to: string;
  readonly port: string;
}

/**
 * What changed between two versions of a workflow, in the terms of the canvas: nodes and edges added, removed,
 * renamed or changed (field by field), document settings changed. Layout moves are counted apart, so a
 * version that only tidied the canvas says so.
 */
export interface WorkflowDiff {
  readonly nodes: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** A node that disappeared and one that appeared with the same type and config: a rename. */
    readonly renamed: readonly { readonly from: string; readonly to: string }[];
    readonly changed: readonly { readonly name: string; readonly changes: readonly FieldChange[] }[];
  };
  readonly edges: {
    readonly added: readonly EdgeRef[];
    readonly removed: readonly EdgeRef[];
    readonly changed: readonly (EdgeRef & { readonly changes: readonly FieldChange[] })[];
    /** The order of the edges leaving a node changed: which edge wins can differ. */
    readonly reordered: readonly string[];
  };
  readonly settings: readonly FieldChange[];
  /** Nodes whose canvas position changed. */
  readonly moved: readonly string[];
  /** Nothing but layout changed (or nothing at all). */
  readonly layoutOnly: boolean;
}

const SETTINGS = [
  "name",
  "version",
  "description",
  "category",
  "priority",
  "trigger",
  "vars",
  "entities",
  "settings",
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Field-level differences between two plain values, by dotted path; arrays compare as wholes. */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path, before: before ?? null, after: after ?? null }];
}

const edgeKey = (edge: WorkflowEdge) => `${edge.from}\u0000${edge.to}\u0000${edge.port ?? DEFAULT_PORT}`;
const edgeRef = (edge: WorkflowEdge): EdgeRef => ({
  from: edge.from,
  to: edge.to,
  port: edge.port ?? DEFAULT_PORT,
});
const nodeBody = (node: WorkflowNode) => {
  const { name: _name, ...rest } = node;
  return JSON.stringify(rest);
};

export function diffWorkflows(before: Workflow, after: Workflow): WorkflowDiff {
  const oldNodes = new Map(before.nodes.map((node) => [node.name, node]));
  const newNodes = new Map(after.nodes.map((node) => [node.name, node]));
  let added = after.nodes.filter((node) => !oldNodes.has(node.name));
  let removed = before.nodes.filter((node) => !newNodes.has(node.name));
  const renamed: { from: string; to: string }[] = [];
  for (const gone of removed) {
    const twin = added.find((node) => nodeBody(node) === nodeBody(gone));
    if (twin) {
      renamed.push({ from: gone.name, to: twin.name });
      added = added.filter((node) => node !== twin);
    }
  }
  removed = removed.filter((node) => !renamed.some((r) => r.from === node.name));
  const changed = after.nodes
    .filter((node) => oldNodes.has(node.name))
    .map((node) => ({
      name: node.name,
      changes: fieldChanges(oldNodes.get(node.name), node).filter((c) => c.path !== "name"),
    }))
    .filter((entry) => entry.changes.length > 0);

  // Edges are compared after renames, so a renamed node's edges are not reported as removed and added.
  const renameTo = new Map(renamed.map((r) => [r.from, r.to]));
  const oldEdges = (before.edges ?? []).map((edge) => ({
    ...edge,
    from: renameTo.get(edge.from) ?? edge.from,
    to: renameTo.get(edge.to) ?? edge.to,
  }));
  const newEdges = after.edges ?? [];
  const oldByKey = new Map(oldEdges.map((edge) => [edgeKey(edge), edge]));
  const newByKey = new Map(newEdges.map((edge) => [edgeKey(edge), edge]));
  const edgeChanges = newEdges
    .filter((edge) => oldByKey.has(edgeKey(edge)))
    .map((edge) => ({ ...edgeRef(edge), changes: fieldChanges(oldByKey.get(edgeKey(edge)), edge) }))
    .filter((entry) => entry.changes.length > 0);
  const order = (edges: readonly WorkflowEdge[], from: string) =>
    edges
      .filter((e) => e.from === from)
      .map(edgeKey)
      .filter((k) => oldByKey.has(k) && newByKey.has(k));
  const sources = [...new Set(newEdges.map((edge) => edge.from))];
  const reordered = sources.filter(
    (from) => order(oldEdges, from).join("|") !== order(newEdges, from).join("|"),
  );

  const settings = SETTINGS.flatMap((key) => fieldChanges(before[key], after[key], key));
  const layoutBefore = before.layout ?? {};
  const layoutAfter = after.layout ?? {};
  const moved = Object.keys(layoutAfter).filter((name) => {
    const previous = layoutBefore[renamed.find((r) => r.to === name)?.from ?? name];
    return previous !== undefined && JSON.stringify(previous) !== JSON.stringify(layoutAfter[name]);
  });

  const diff = {
    nodes: { added: added.map((n) => n.name), removed: removed.map((n) => n.name), renamed, changed },
    edges: {
      added: newEdges.filter((edge) => !oldByKey.has(edgeKey(edge))).map(edgeRef),
      removed: oldEdges.filter((edge) => !newByKey.has(edgeKey(edge))).map(edgeRef),
      changed: edgeChanges,
      reordered,
    },
    settings,
    moved,
  };
  const logical =
    diff.nodes.added.length +
    diff.nodes.removed.length +
    renamed.length +
    changed.length +
    diff.edges.added.length +
    diff.edges.removed.length +
    edgeChanges.length +
    reordered.length +
    settings.length;
  return { ...diff, layoutOnly: logical === 0 };
}
