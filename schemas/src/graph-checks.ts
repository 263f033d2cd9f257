import type { NodeCatalog } from "./catalog";
import type { Finding } from "./finding";
import type { GraphEdge, GraphNode, GraphView } from "./graph-view";

const START_TYPE = "start";

/**
 * Structural checks on the node graph: one start, edges between existing nodes and ports, every node
 * reachable, and no loop that can spin without waiting for a person or counting its rounds.
 */
export function checkGraph(
  graph: GraphView,
  catalog: NodeCatalog,
  layoutNames: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  checkStart(graph, findings);
  checkNames(graph, findings);
  // Reachability and loops follow every edge between existing nodes, even through a wrong port: the port is
  // reported on its own, and the person clearly meant the connection.
  const connected = checkEdges(graph, catalog, findings);
  checkReachable(graph, connected, findings);
  checkLoops(graph, connected, catalog, findings);
  for (const name of layoutNames) {
    if (!graph.byName.has(name)) {
      findings.push({
        code: "FD127",
        message: `The layout places a node "${name}" that the flow does not have.`,
        path: ["layout", name],
        at: "key",
      });
    }
  }
  return findings;
}

function checkStart(graph: GraphView, findings: Finding[]): void {
  const starts = graph.nodes.filter((node) => node.type === START_TYPE);
  if (starts.length === 0 && graph.nodes.length > 0) {
    findings.push({
      code: "FD120",
      message: "The flow has no start node, so a run would not know where to begin.",
      path: ["nodes"],
      at: "key",
    });
  }
  for (const extra of starts.slice(1)) {
    findings.push({
      code: "FD121",
      message: `"${extra.name}" is a second start node; a flow has exactly one (the first is "${starts[0]?.name}").`,
      path: ["nodes", extra.index, "type"],
    });
  }
}

function checkNames(graph: GraphView, findings: Finding[]): void {
  for (const node of graph.nodes) {
    const first = graph.byName.get(node.name);
    if (first && first !== node) {
      findings.push({
        code: "FD122",
        message: `Two nodes are called "${node.name}"; rename one so edges and references know which is meant.`,
        path: ["nodes", node.index, "name"],
      });
    }
  }
}

/** Returns the edges between existing nodes; edges naming unknown nodes or ports are reported. */
function checkEdges(graph: GraphView, catalog: NodeCatalog, findings: Finding[]): GraphEdge[] {
  const usable: GraphEdge[] = [];
  for (const edge of graph.edges) {
    let connects = true;
    for (const end of ["from", "to"] as const) {
      if (!graph.byName.has(edge[end])) {
        connects = false;
        const known = suggestName(edge[end], [...graph.byName.keys()]);
        findings.push({
          code: "FD123",
          message: `This edge ${end === "from" ? "starts at" : "leads to"} "${edge[end]}", but there is no node with that name.${known}`,
          path: ["edges", edge.index, end],
        });
      }
    }
    const source = graph.byName.get(edge.from);
    const outputs = source?.type ? catalog.get(source.type)?.outputs : undefined;
    if (outputs && !outputs.includes(edge.port)) {
      const offered =
        outputs.length === 0 ? "no outgoing ports (it ends the flow)" : `the ports ${outputs.join(", ")}`;
      findings.push({
        code: "FD126",
        message: edge.portGiven
          ? `"${edge.from}" has no port "${edge.port}"; ${withArticle(source?.type ?? "")} node has ${offered}.`
          : `This edge leaves "${edge.from}" without naming a port; ${withArticle(source?.type ?? "")} node has ${offered}.`,
        path: edge.portGiven ? ["edges", edge.index, "port"] : ["edges", edge.index, "from"],
      });
    }
    if (connects) usable.push(edge);
  }
  return usable;
}

function successors(edges: readonly GraphEdge[]): Map<string, GraphEdge[]> {
  const out = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const list = out.get(edge.from);
    if (list) list.push(edge);
    else out.set(edge.from, [edge]);
  }
  return out;
}

function checkReachable(graph: GraphView, edges: readonly GraphEdge[], findings: Finding[]): void {
  const start = graph.nodes.find((node) => node.type === START_TYPE);
  if (!start) return;
  const next = successors(edges);
  const seen = new Set<string>([start.name]);
  const queue = [start.name];
  while (queue.length > 0) {
    for (const edge of next.get(queue.pop()!) ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  for (const node of graph.nodes) {
    // A second start node is already an error of its own.
    if (!seen.has(node.name) && graph.byName.get(node.name) === node && node.type !== START_TYPE) {
      findings.push({
        code: "FD124",
        message: `No path from start leads to "${node.name}", so it never runs.`,
        path: ["nodes", node.index, "name"],
      });
    }
  }
}

/** Tarjan's strongly connected components, iterative so that a long chain cannot overflow the stack. */
function stronglyConnected(names: readonly string[], next: Map<string, GraphEdge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: Array<{ name: string; edge: number }> = [{ name: root, edge: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = next.get(frame.name) ?? [];
      if (frame.edge < out.length) {
        const target = out[frame.edge]!.to;
        frame.edge += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ name: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.name, Math.min(low.get(frame.name)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        components.push(component);
      }
    }
  }
  return components;
}

function checkLoops(
  graph: GraphView,
  edges: readonly GraphEdge[],
  catalog: NodeCatalog,
  findings: Finding[],
): void {
  const next = successors(edges);
  for (const component of stronglyConnected([...graph.byName.keys()], next)) {
    const members = new Set(component);
    const inner = edges.filter((edge) => members.has(edge.from) && members.has(edge.to));
    if (inner.length === 0) continue;
    const nodes = component.map((name) => graph.byName.get(name)!);
    if (nodes.some((node) => node.type !== undefined && catalog.get(node.type)?.waits === true)) continue;
    if (hasCounter(nodes, edges, members)) continue;
    const closing = inner.reduce((best, edge) => (edge.index > best.index ? edge : best));
    const order = nodes.sort((a, b) => a.index - b.index).map((node) => node.name);
    findings.push({
      code: "FD125",
      message: `${order.join(" → ")} form a loop that never waits for the customer and counts nothing, so a run could go round forever.`,
      path: ["edges", closing.index],
    });
  }
}

/** A loop is bounded when a `set` node in it assigns a variable that a condition on one of its edges reads. */
function hasCounter(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  members: ReadonlySet<string>,
): boolean {
  const assigned = new Set<string>();
  for (const node of nodes) {
    if (node.type !== "set") continue;
    for (const field of ["values", "expressions"]) {
      const map = node.config[field];
      if (typeof map === "object" && map !== null) for (const key of Object.keys(map)) assigned.add(key);
    }
  }
  if (assigned.size === 0) return false;
  return edges.some(
    (edge) =>
      members.has(edge.from) &&
      edge.condition !== undefined &&
      [...assigned].some((name) => new RegExp(`\\bvars\\.${escapeRegExp(name)}\\b`).test(edge.condition!)),
  );
}

/** " Did you mean "x"?" for a close name (typos, swapped letters), or nothing. */
export function suggestName(wrong: string, candidates: readonly string[]): string {
  const allowed = Math.max(1, Math.floor(wrong.length / 3));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wrong.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance && distance < wrong.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : ` Did you mean "${best}"?`;
}

/** Optimal-string-alignment distance: a swap of two neighbours costs 1, the most common typo. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      let cost = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cost = Math.min(cost, before[j - 2]! + 1);
      current[j] = cost;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** "a" or "an" before a node type, for sentences like "an agent node". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
