import { DEFAULT_PORT } from "./workflow-types";

/** The parts of a possibly invalid document that graph checks can still use, with their indexes. */
export interface GraphNode {
  readonly index: number;
  readonly name: string;
  readonly type: string | undefined;
  readonly config: Record<string, unknown>;
}

export interface GraphEdge {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly portGiven: boolean;
  readonly condition: string | undefined;
}

export interface GraphView {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** First node of each name; duplicates are reported, not used. */
  readonly byName: ReadonlyMap<string, GraphNode>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function graphView(value: unknown): GraphView {
  const root = isRecord(value) ? value : {};
  const nodes: GraphNode[] = [];
  const byName = new Map<string, GraphNode>();
  (Array.isArray(root.nodes) ? root.nodes : []).forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.name !== "string") return;
    const node: GraphNode = {
      index,
      name: raw.name,
      type: typeof raw.type === "string" ? raw.type : undefined,
      config: isRecord(raw.config) ? raw.config : {},
    };
    nodes.push(node);
    if (!byName.has(node.name)) byName.set(node.name, node);
  });
  const edges: GraphEdge[] = [];
  (Array.isArray(root.edges) ? root.edges : []).forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.from !== "string" || typeof raw.to !== "string") return;
    edges.push({
      index,
      from: raw.from,
      to: raw.to,
      port: typeof raw.port === "string" ? raw.port : DEFAULT_PORT,
      portGiven: typeof raw.port === "string",
      condition: typeof raw.condition === "string" ? raw.condition : undefined,
    });
  });
  return { nodes, edges, byName };
}
