import type { BranchSpec } from "./catalog";
import type { GraphEdit } from "./document-edits";
import { DEFAULT_PORT } from "./workflow-types";

export type { BranchSpec };

/** One handle on a node card: where an edge starts and what drawing from it writes. */
export interface BranchHandle {
  /** React Flow handle id: the port name for ports, `case:<value>` for a per-item branch. */
  readonly id: string;
  readonly label: string;
  readonly port: string;
  /** The condition an edge drawn from this handle gets; absent for ports. */
  readonly condition?: string;
  readonly kind: "port" | "item";
}

export const BRANCH_ITEM_PREFIX = "case:";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The names of a per-item branch list in `config`, in order (entries without a string name are skipped). */
export function branchItems(spec: BranchSpec | undefined, config: unknown): string[] {
  const perItem = spec?.perItem;
  if (!perItem || !isRecord(config)) return [];
  const list = config[perItem.list];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const name = isRecord(entry) ? entry[perItem.key] : undefined;
    return typeof name === "string" && name !== "" ? [name] : [];
  });
}

export function itemCondition(spec: BranchSpec, value: string): string {
  return spec.perItem!.condition.replace("{value}", value);
}

/** Every handle of a node: its per-item branches first (in list order), then its ports. */
export function branchHandles(
  outputs: readonly string[],
  spec: BranchSpec | undefined,
  config: unknown,
): BranchHandle[] {
  const handles: BranchHandle[] = [];
  const seen = new Set<string>();
  for (const value of branchItems(spec, config)) {
    // Two intents of one name are a schema problem; one handle is enough to draw.
    if (seen.has(value)) continue;
    seen.add(value);
    handles.push({
      id: `${BRANCH_ITEM_PREFIX}${value}`,
      label: value,
      port: spec!.perItem!.port,
      condition: itemCondition(spec!, value),
      kind: "item",
    });
  }
  for (const port of outputs) {
    const label = spec?.portLabels?.[port] ?? (spec?.perItem?.port === port ? spec.perItem.otherwise : port);
    handles.push({ id: port, label, port, kind: "port" });
  }
  return handles;
}

/** Conditions compare without spaces and with either quote, so `output.route=="faq"` is the faq branch. */
const normalize = (condition: string) => condition.replace(/\s+/g, "").replace(/"/g, "'");

/** What an edge reads as: its handle and the name its label shows (undefined for a plain `out` edge). */
export interface EdgeBranch {
  readonly handleId: string;
  readonly label: string | undefined;
}

/**
 * The branch an edge belongs to. A condition of a per-item branch's shape is that branch; any other condition
 * starts at its port's handle and reads "condition" (the CEL itself is in the inspector); an edge without a
 * condition after conditional siblings on the same port reads "otherwise".
 */
export function edgeBranch(
  handles: readonly BranchHandle[],
  edge: { readonly port: string; readonly condition?: string | null },
  earlierSiblingHasCondition: boolean,
): EdgeBranch {
  const condition =
    typeof edge.condition === "string" && edge.condition.trim() !== "" ? edge.condition : undefined;
  if (condition !== undefined) {
    const wanted = normalize(condition);
    const item = handles.find(
      (h) => h.kind === "item" && h.port === edge.port && normalize(h.condition!) === wanted,
    );
    if (item) return { handleId: item.id, label: item.label };
    return { handleId: edge.port, label: "condition" };
  }
  const port = handles.find((h) => h.kind === "port" && h.port === edge.port);
  const label = port?.label ?? edge.port;
  if (label === DEFAULT_PORT)
    return { handleId: edge.port, label: earlierSiblingHasCondition ? "otherwise" : undefined };
  return { handleId: edge.port, label };
}

/** What drawing from handle `handleId` writes on the new edge. */
export function edgeFromHandle(
  handles: readonly BranchHandle[],
  handleId: string | null | undefined,
): { port: string; condition?: string } {
  const handle = handles.find((h) => h.id === handleId);
  if (!handle) return { port: handleId ?? DEFAULT_PORT };
  return handle.condition === undefined
    ? { port: handle.port }
    : { port: handle.port, condition: handle.condition };
}

/**
 * Edits that make a node's edges follow renamed per-item branches: entry i named `a` before and `b` now moves
 * every edge of node `node` whose condition is `a`'s branch to `b`'s. Only a rename in place counts (same list
 * length), so deleting an intent leaves its edges for the dead-branch and port checks to show.
 */
export function branchRenameEdits(
  spec: BranchSpec | undefined,
  node: string,
  before: unknown,
  after: unknown,
  edges: unknown,
): GraphEdit[] {
  if (!spec?.perItem || !Array.isArray(edges)) return [];
  const perItem = spec.perItem;
  const list = (config: unknown) =>
    isRecord(config) && Array.isArray(config[perItem.list]) ? config[perItem.list] : [];
  const old = list(before) as unknown[];
  const now = list(after) as unknown[];
  if (old.length !== now.length) return [];
  const renames = new Map<string, string>();
  old.forEach((entry, i) => {
    const from = isRecord(entry) ? entry[perItem.key] : undefined;
    const to = isRecord(now[i]) ? (now[i] as Record<string, unknown>)[perItem.key] : undefined;
    if (typeof from === "string" && typeof to === "string" && from !== to && to !== "") renames.set(from, to);
  });
  if (renames.size === 0) return [];
  const edits: GraphEdit[] = [];
  edges.forEach((edge: unknown, index) => {
    if (!isRecord(edge) || edge.from !== node || typeof edge.condition !== "string") return;
    const port = typeof edge.port === "string" ? edge.port : DEFAULT_PORT;
    if (port !== perItem.port) return;
    const wanted = normalize(edge.condition);
    for (const [from, to] of renames) {
      if (normalize(itemCondition(spec, from)) === wanted) {
        edits.push({ kind: "set-edge", index, condition: itemCondition(spec, to) });
        break;
      }
    }
  });
  return edits;
}
