import { DEFAULT_PORT, type Workflow, type WorkflowEdge, type WorkflowNode } from "@flowdeck/schemas";

/** A validated workflow with its lookups prepared once: nodes by name, outgoing edges in document order. */
export interface WorkflowIndex {
  readonly workflow: Workflow;
  readonly start: WorkflowNode;
  node(name: string): WorkflowNode | undefined;
  /** Edges leaving `name`, in document order. */
  outgoing(name: string): readonly WorkflowEdge[];
}

const cache = new WeakMap<Workflow, WorkflowIndex>();

export function indexWorkflow(workflow: Workflow): WorkflowIndex {
  const cached = cache.get(workflow);
  if (cached) return cached;
  const nodes = new Map(workflow.nodes.map((node) => [node.name, node]));
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const edge of workflow.edges ?? []) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge);
    outgoing.set(edge.from, list);
  }
  const start = workflow.nodes.find((node) => node.type === "start");
  if (!start) throw new Error(`workflow ${workflow.name} has no start node`);
  const index: WorkflowIndex = {
    workflow,
    start,
    node: (name) => nodes.get(name),
    outgoing: (name) => outgoing.get(name) ?? [],
  };
  cache.set(workflow, index);
  return index;
}

export function edgePort(edge: WorkflowEdge): string {
  return edge.port ?? DEFAULT_PORT;
}
