import type { GraphEdit, LayoutPosition, WorkflowEdge, WorkflowNode } from "@flowdeck/schemas";
import { parse, stringify } from "yaml";
import { BuilderError } from "./builder-error";
import { uniqueName } from "./node-naming";

/**
 * Copied nodes travel as a YAML fragment on the system clipboard: readable, pasteable into a text editor, and
 * pasteable into another workflow (another tab or window). The marker key tells a fragment from other text.
 */
export const FRAGMENT_MARKER = "flowdeck_fragment";
/** Pasted nodes land this far right and down from where they were copied, so they do not hide the originals. */
export const PASTE_OFFSET_PX = 40;

export interface Fragment {
  readonly nodes: readonly WorkflowNode[];
  readonly edges: readonly WorkflowEdge[];
  readonly layout: Readonly<Record<string, LayoutPosition>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The fragment for `names` out of a parsed workflow value: those nodes, the edges between them, their places. */
export function copyFragment(
  value: Record<string, unknown> | undefined,
  names: ReadonlySet<string>,
  positions: ReadonlyMap<string, LayoutPosition>,
): string | undefined {
  if (!value || names.size === 0) return undefined;
  const nodes = (Array.isArray(value.nodes) ? value.nodes : []).filter(
    (node): node is WorkflowNode => isRecord(node) && typeof node.name === "string" && names.has(node.name),
  );
  if (nodes.length === 0) return undefined;
  const edges = (Array.isArray(value.edges) ? value.edges : []).filter(
    (edge): edge is WorkflowEdge =>
      isRecord(edge) && names.has(String(edge.from)) && names.has(String(edge.to)),
  );
  const layout: Record<string, LayoutPosition> = {};
  for (const node of nodes) {
    const at = positions.get(node.name);
    if (at) layout[node.name] = { x: Math.round(at.x), y: Math.round(at.y) };
  }
  return stringify({ [FRAGMENT_MARKER]: 1, nodes, edges, layout }, { lineWidth: 0 });
}

export function parseFragment(text: string): Fragment {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch {
    data = undefined;
  }
  if (!isRecord(data) || data[FRAGMENT_MARKER] === undefined || !Array.isArray(data.nodes)) {
    throw new BuilderError("FD411", "the clipboard does not hold Flowdeck nodes");
  }
  const nodes = data.nodes.filter(
    (n): n is WorkflowNode => isRecord(n) && typeof n.name === "string" && typeof n.type === "string",
  );
  const edges = (Array.isArray(data.edges) ? data.edges : []).filter(
    (e): e is WorkflowEdge => isRecord(e) && typeof e.from === "string" && typeof e.to === "string",
  );
  const layout: Record<string, LayoutPosition> = {};
  if (isRecord(data.layout)) {
    for (const [name, at] of Object.entries(data.layout)) {
      if (isRecord(at) && typeof at.x === "number" && typeof at.y === "number")
        layout[name] = { x: at.x, y: at.y };
    }
  }
  return { nodes, edges, layout };
}

/**
 * The edits that paste a fragment: names that are taken get a new one (edges and `nodes.<name>` references
 * inside the pasted configs follow), positions move by PASTE_OFFSET_PX. Returns the new names too, to select them.
 */
export function pasteEdits(
  fragment: Fragment,
  taken: ReadonlySet<string>,
): { edits: GraphEdit[]; names: string[] } {
  const used = new Set(taken);
  const renamed = new Map<string, string>();
  for (const node of fragment.nodes) {
    const name = uniqueName(node.name, used);
    used.add(name);
    renamed.set(node.name, name);
  }
  const rewrite = (value: unknown): unknown => {
    if (typeof value === "string") {
      let text = value;
      for (const [from, to] of renamed) {
        if (from === to) continue;
        text = text.replace(
          new RegExp(`(?<![A-Za-z0-9_])nodes(\\.|\\[\\s*["'])${from}(?![A-Za-z0-9_])`, "g"),
          `nodes$1${to}`,
        );
      }
      return text;
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  const edits: GraphEdit[] = [];
  for (const node of fragment.nodes) {
    const name = renamed.get(node.name)!;
    const at = fragment.layout[node.name];
    edits.push({
      kind: "add-node",
      node: { ...(rewrite(node) as WorkflowNode), name },
      ...(at ? { position: { x: at.x + PASTE_OFFSET_PX, y: at.y + PASTE_OFFSET_PX } } : {}),
    });
  }
  for (const edge of fragment.edges) {
    edits.push({
      kind: "add-edge",
      edge: {
        ...(rewrite(edge) as WorkflowEdge),
        from: renamed.get(edge.from) ?? edge.from,
        to: renamed.get(edge.to) ?? edge.to,
      },
    });
  }
  return { edits, names: [...renamed.values()] };
}
