import type { Workflow } from "@flowdeck/schemas";

/** One way a run's input misses what its start node declares: `path` names the value (`input.order_id`). */
export interface RunInputProblem {
  readonly path: string;
  readonly message: string;
}

type DeclaredType = "string" | "number" | "boolean" | "object";

interface DeclaredInput {
  readonly name: string;
  readonly type?: DeclaredType;
  readonly required?: boolean;
}

/**
 * What is wrong with `input` against the start node's declared `inputs` (node-library's start node: name, type
 * default string, required default false). A value that is absent or null is missing; a present one must have its
 * declared type (a number is finite, an object is a JSON object, not an array). Values nobody declared pass:
 * webhooks send whatever their sender has, and templates read what they need.
 */
export function runInputProblems(
  workflow: Workflow,
  input: Readonly<Record<string, unknown>>,
): RunInputProblem[] {
  const start = workflow.nodes.find((node) => node.type === "start");
  const declared = (start?.config?.inputs ?? []) as readonly DeclaredInput[];
  const problems: RunInputProblem[] = [];
  for (const { name, type = "string", required = false } of declared) {
    const value = input[name];
    const path = `input.${name}`;
    if (value === undefined || value === null) {
      if (required) problems.push({ path, message: `${path} is required (${type}).` });
    } else if (!hasType(value, type)) {
      problems.push({ path, message: `${path} must be ${type === "object" ? "an object" : `a ${type}`}.` });
    }
  }
  return problems;
}

function hasType(value: unknown, type: DeclaredType): boolean {
  switch (type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}
