import type { NodeRegistry } from "@flowdeck/node-library";

/**
 * Node types that read or compute but change nothing outside the run: they run for real in a replay. The agent
 * and router call a model (paid, but nothing in the world changes); their tool calls are steps of their own and
 * are judged one by one. A subflow is the engine's and runs its child's steps through the same checks.
 */
const READ_ONLY_TYPES: ReadonlySet<string> = new Set([
  "agent",
  "router",
  "subflow",
  "tool.kb_search",
  "tool.order_lookup",
]);
const READ_ONLY_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a step of this node type would change something outside the run (a ticket, a lead, an order, a
 * webhook's receiver). Pure nodes never do (handoff included: it only parks the run). tool.http depends on its
 * method. Any other type, third-party ones included, is assumed to have effects, as node-library assumes for a
 * node that does not declare itself pure: a replay that skips a harmless read is better than one that writes.
 */
export function hasOutsideEffect(
  registry: NodeRegistry,
  type: string,
  config: Readonly<Record<string, unknown>>,
): boolean {
  if (registry.get(type)?.pure === true) return false;
  if (type === "tool.http") {
    const method = typeof config.method === "string" ? config.method.toUpperCase() : "GET";
    return !READ_ONLY_METHODS.has(method);
  }
  return !READ_ONLY_TYPES.has(type);
}
