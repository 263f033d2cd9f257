import {
  branchHandles,
  DEFAULT_PORT,
  edgeBranch,
  type BranchHandle,
  type LayoutPosition,
  type NodeCatalog,
  type Problem,
  type Severity,
} from "@flowdeck/schemas";
import { nodeSummary } from "./node-summary";

/** What the canvas shows of one node; plain data, rebuilt from the YAML whenever it parses. */
export interface GraphNode {
  /** The canvas id: the node's name (made unique with `~<index>` only when the YAML repeats a name). */
  readonly id: string;
  readonly name: string;
  readonly index: number;
  readonly type: string;
  readonly title: string;
  readonly category: string;
  readonly icon: string;
  readonly description: string;
  readonly outputs: readonly string[];
  /** Where edges start: one per port, plus one per branch the type reads from its config (a router's intents). */
  readonly handles: readonly BranchHandle[];
  readonly position: LayoutPosition;
  /** True when the YAML has a `layout:` entry; otherwise the position is computed and not written back. */
  readonly placed: boolean;
  readonly knownType: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  /** The first problem's message, for the card's tooltip. */
  readonly firstProblem: string | undefined;
  /** What the node says, one line from its config (`node-summary.ts`): a Reply's text, an Ask's question. */
  readonly summary?: string;
}

export interface GraphEdge {
  /** `e<index>`: edges are addressed by their place in the `edges:` list (remove-edge takes the index). */
  readonly id: string;
  readonly index: number;
  readonly source: string;
  readonly target: string;
  readonly port: string;
  readonly condition: string | undefined;
  readonly label: string | undefined;
  /** The source handle the edge starts at (`case:refund` for a router's refund branch, else the port). */
  readonly handle: string;
  /** The branch's name for the edge label (`refund`, `fallback`, `timeout`); undefined for a plain edge. */
  readonly branch: string | undefined;
  readonly hasProblem: boolean;
}

export interface BuilderGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export const EMPTY_GRAPH: BuilderGraph = { nodes: [], edges: [] };

/** The spacing of computed positions (nodes without a `layout:` entry), in canvas pixels. */
export const COLUMN_SPACING_PX = 260;
export const ROW_SPACING_PX = 120;

/**
 * Where nodes without a `layout:` entry were shown: the previous graph. Such a node keeps that place when the
 * text changes (an edge drawn, another node added), instead of jumping to wherever the computed layout would now
 * put it; only nodes new to the canvas get a computed place.
 */
export type ShownGraph = Pick<BuilderGraph, "nodes">;

/** What a node type looks like on the canvas beyond the catalog: the registry's lucide icon name. */
export type IconLookup = (type: string) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `nodes[3].config.x` → 3; problems of the whole document or of edges give undefined. */
export function nodeIndexOfPath(path: string): number | undefined {
  const match = /^nodes\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
}

export function edgeIndexOfPath(path: string): number | undefined {
  const match = /^edges\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
}

interface Tally {
  errors: number;
  warnings: number;
  first: string | undefined;
}

function tallyProblems(problems: readonly Problem[]) {
  const byNode = new Map<number, Tally>();
  const edgesWithProblems = new Set<number>();
  for (const problem of problems) {
    const edge = edgeIndexOfPath(problem.path);
    if (edge !== undefined) edgesWithProblems.add(edge);
    const index = nodeIndexOfPath(problem.path);
    if (index === undefined) continue;
    const tally = byNode.get(index) ?? { errors: 0, warnings: 0, first: undefined };
    if (isError(problem.severity)) tally.errors += 1;
    else tally.warnings += 1;
    tally.first ??= `${problem.code}: ${problem.message}`;
    byNode.set(index, tally);
  }
  return { byNode, edgesWithProblems };
}

const isError = (severity: Severity) => severity === "error";

/**
 * The canvas graph of a parsed workflow value. Lenient on purpose: a half-written draft (a node without a type,
 * an edge to a missing node) still shows everything that can be drawn; the validator reports the rest.
 */
export function deriveGraph(
  value: unknown,
  problems: readonly Problem[],
  catalog: NodeCatalog,
  iconOf: IconLookup = () => undefined,
  shown: ShownGraph = EMPTY_GRAPH,
): BuilderGraph {
  if (!isRecord(value)) return EMPTY_GRAPH;
  const rawNodes = Array.isArray(value.nodes) ? value.nodes : [];
  const rawEdges = Array.isArray(value.edges) ? value.edges : [];
  const layout = isRecord(value.layout) ? value.layout : {};
  const { byNode, edgesWithProblems } = tallyProblems(problems);

  const ids = new Set<string>();
  const drafts: Array<Omit<GraphNode, "position" | "placed"> & { at: LayoutPosition | undefined }> = [];
  rawNodes.forEach((raw: unknown, index: number) => {
    if (!isRecord(raw) || typeof raw.name !== "string" || raw.name === "") return;
    const name = raw.name;
    const id = ids.has(name) ? `${name}~${index}` : name;
    ids.add(id);
    const type = typeof raw.type === "string" ? raw.type : "";
    const info = catalog.get(type);
    const tally = byNode.get(index);
    const outputs = info?.outputs ?? [DEFAULT_PORT];
    drafts.push({
      id,
      name,
      index,
      type,
      title: info?.title ?? (type || "Unknown type"),
      category: info?.category ?? "unknown",
      icon: iconOf(type) ?? "",
      description: typeof raw.description === "string" ? raw.description : "",
      outputs,
      handles: branchHandles(outputs, info?.branches, raw.config),
      knownType: info !== undefined,
      errorCount: tally?.errors ?? 0,
      warningCount: tally?.warnings ?? 0,
      firstProblem: tally?.first,
      summary: nodeSummary(type, raw.config),
      at: positionOf(layout[name]),
    });
  });

  const handlesOf = new Map(drafts.map((d) => [d.id, d.handles]));
  // Ports (per source) on which an earlier edge has a condition: a plain edge after one reads "otherwise".
  const conditional = new Set<string>();
  const edges: GraphEdge[] = [];
  rawEdges.forEach((raw: unknown, index: number) => {
    if (!isRecord(raw) || typeof raw.from !== "string" || typeof raw.to !== "string") return;
    if (!ids.has(raw.from) || !ids.has(raw.to)) return;
    const port = typeof raw.port === "string" ? raw.port : DEFAULT_PORT;
    const condition = typeof raw.condition === "string" ? raw.condition : undefined;
    const label = typeof raw.label === "string" ? raw.label : undefined;
    const siblings = `${raw.from}\u0000${port}`;
    const branch = edgeBranch(handlesOf.get(raw.from) ?? [], { port, condition }, conditional.has(siblings));
    if (condition !== undefined) conditional.add(siblings);
    edges.push({
      id: `e${index}`,
      index,
      source: raw.from,
      target: raw.to,
      port,
      condition,
      label,
      handle: branch.handleId,
      branch: branch.label,
      hasProblem: edgesWithProblems.has(index),
    });
  });

  const kept = keptPositions(drafts, shown);
  const computed = computePositions(
    drafts.filter((d) => d.at === undefined && !kept.has(d.id)).map((d) => d.id),
    drafts.map((d) => ({ id: d.id, at: d.at ?? kept.get(d.id) })),
    edges,
  );
  const nodes = drafts.map(({ at, ...rest }) => ({
    ...rest,
    position: at ?? kept.get(rest.id) ?? computed.get(rest.id) ?? { x: 0, y: 0 },
    placed: at !== undefined,
  }));
  return { nodes, edges };
}

/**
 * The places unpositioned nodes were shown at, by id. A node renamed in place (same index, its old name gone)
 * keeps its place too, so typing a name in the YAML or the inspector does not move the card.
 */
function keptPositions(
  drafts: ReadonlyArray<{ id: string; index: number; at: LayoutPosition | undefined }>,
  shown: ShownGraph,
): Map<string, LayoutPosition> {
  const kept = new Map<string, LayoutPosition>();
  if (shown.nodes.length === 0) return kept;
  const byId = new Map(shown.nodes.map((n) => [n.id, n]));
  const byIndex = new Map(shown.nodes.map((n) => [n.index, n]));
  const ids = new Set(drafts.map((d) => d.id));
  for (const draft of drafts) {
    if (draft.at !== undefined) continue;
    const same = byId.get(draft.id);
    const renamed = byIndex.get(draft.index);
    const previous = same ?? (renamed && !ids.has(renamed.id) ? renamed : undefined);
    // A node that had a `layout:` entry and lost it (Undo of its first move) goes back to a computed place.
    if (previous && !previous.placed) kept.set(draft.id, previous.position);
  }
  return kept;
}

function positionOf(value: unknown): LayoutPosition | undefined {
  if (!isRecord(value) || typeof value.x !== "number" || typeof value.y !== "number") return undefined;
  return { x: value.x, y: value.y };
}

/**
 * Positions for nodes the YAML does not place: one column per step from the nodes that are placed (or from
 * the roots), so a node typed into the YAML appears next to what it connects to instead of at the origin.
 */
function computePositions(
  unplaced: readonly string[],
  drafts: ReadonlyArray<{ id: string; at: LayoutPosition | undefined }>,
  edges: readonly GraphEdge[],
): Map<string, LayoutPosition> {
  const result = new Map<string, LayoutPosition>();
  if (unplaced.length === 0) return result;
  const known = new Map<string, LayoutPosition>();
  for (const d of drafts) if (d.at) known.set(d.id, d.at);
  const incoming = new Map<string, string[]>();
  for (const edge of edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);

  const taken = new Set([...known.values()].map((p) => `${p.x},${p.y}`));
  const place = (id: string, wanted: LayoutPosition) => {
    let at = wanted;
    while (taken.has(`${at.x},${at.y}`)) at = { x: at.x, y: at.y + ROW_SPACING_PX };
    taken.add(`${at.x},${at.y}`);
    result.set(id, at);
    known.set(id, at);
  };
  // Repeated passes place nodes whose parents got a place in an earlier pass; when none can, the first
  // waiting node is a root and starts at the origin (moved down past anything already there).
  let pending = [...unplaced];
  while (pending.length > 0) {
    let progressed = false;
    const next: string[] = [];
    for (const id of pending) {
      const parent = (incoming.get(id) ?? []).map((p) => known.get(p)).find(Boolean);
      if (parent) {
        place(id, { x: parent.x + COLUMN_SPACING_PX, y: parent.y });
        progressed = true;
      } else next.push(id);
    }
    if (!progressed) place(next.shift()!, { x: 0, y: 0 });
    pending = next;
  }
  return result;
}
