import { compileTemplate, type WorkflowNode } from "@flowdeck/schemas";
import type { RunScope, ToolInvoker, ToolSpec } from "@flowdeck/node-library/runtime";
import { EngineError } from "./engine-errors";
import type { WorkflowIndex } from "./workflow-index";

export interface ToolInvokerOptions {
  readonly index: WorkflowIndex;
  readonly parentStepId: string;
  readonly scope: RunScope;
  /** Runs the tool node as a step of its own and returns its output. */
  readonly runTool: (node: WorkflowNode, stepId: string, scope: RunScope) => Promise<unknown>;
}

/**
 * The tool nodes an agent may call. A tool's parameters are the `input.*` names its templates read, so a
 * flow author never writes a function schema: `order_id: "{{ input.order_id }}"` makes `order_id` a parameter.
 * When the model calls it, its arguments are laid over `input` for that one step.
 */
export function createToolInvoker(options: ToolInvokerOptions): ToolInvoker {
  const calls = new Map<string, number>();
  const toolNode = (name: string): WorkflowNode => {
    const node = options.index.node(name);
    if (!node || !node.type.startsWith("tool."))
      throw new EngineError("FD200", `"${name}" is not a tool node of this flow.`);
    return node;
  };
  return {
    describe(names): readonly ToolSpec[] {
      return names.map((name) => {
        const node = toolNode(name);
        const params = inputParameters(node);
        return {
          name,
          description: node.description ?? `Runs the ${node.type} node "${name}".`,
          parameters: {
            type: "object",
            properties: Object.fromEntries(params.map((p) => [p, { type: "string" }])),
            required: params,
            additionalProperties: false,
          },
        };
      });
    },
    async invoke(name, args) {
      const node = toolNode(name);
      const count = (calls.get(name) ?? 0) + 1;
      calls.set(name, count);
      const stepId = `${options.parentStepId}/${name}#${count}`;
      const input = { ...options.scope.input, ...stringArguments(args) };
      return options.runTool(node, stepId, { ...options.scope, input });
    },
  };
}

function stringArguments(args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args))
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

/** `input.*` names read by the node's template fields (every string in its config is scanned). */
function inputParameters(node: WorkflowNode): string[] {
  const names = new Set<string>();
  const texts: string[] = [];
  const stack: unknown[] = [node.config ?? {}];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") texts.push(value);
    else if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === "object") stack.push(...Object.values(value));
  }
  for (const text of texts) {
    const compiled = compileTemplate(text);
    if (!compiled.ok) continue;
    for (const ref of compiled.references) if (ref.root === "input" && ref.name) names.add(ref.name);
  }
  return [...names].sort();
}
