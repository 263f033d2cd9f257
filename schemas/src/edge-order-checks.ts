import { celProgram, compileCel } from "./expressions";
import type { Finding } from "./finding";
import type { GraphEdge, GraphView } from "./graph-view";
import { CONDITION_ROOTS } from "./workflow-types";

/**
 * Edges leaving one port are tried in list order and the first that matches is taken (the engine's
 * `run-activation.ts`). An edge without a condition, or with one that is always true, therefore hides every
 * later edge on the same port: they can never run (FD128, a warning: the draft still runs). Drawing a
 * catch-all before the branches it was meant to catch is the usual way to get there on a canvas.
 */
export function checkEdgeOrder(graph: GraphView): Finding[] {
  const findings: Finding[] = [];
  const shadowing = new Map<string, GraphEdge>();
  for (const edge of graph.edges) {
    const key = `${edge.from}\u0000${edge.port}`;
    const earlier = shadowing.get(key);
    if (earlier) {
      findings.push({
        code: "FD128",
        message:
          `This edge from "${edge.from}" to "${edge.to}" is never taken: edge ${earlier.index + 1} (to "${earlier.to}") ` +
          `comes first on the same ${edge.port === "out" ? "output" : `"${edge.port}" port`} and ` +
          (earlier.condition === undefined ? "has no condition" : `its condition is always true`) +
          ", so it always wins.",
        path: ["edges", edge.index],
      });
      continue;
    }
    if (alwaysMatches(edge.condition)) shadowing.set(key, edge);
  }
  return findings;
}

/**
 * No condition, or a condition that reads nothing from the run and evaluates to true (`true`, `1 == 1`).
 * A condition that reads data may be true only sometimes, so it never shadows.
 */
export function alwaysMatches(condition: string | undefined): boolean {
  if (condition === undefined || condition.trim() === "") return true;
  const compiled = compileCel(condition, CONDITION_ROOTS);
  if (!compiled.ok || compiled.references.length > 0) return false;
  try {
    return celProgram(condition, CONDITION_ROOTS)({}) === true;
  } catch {
    return false;
  }
}
