import { compileTemplate, type WorkflowNode } from "@flowdeck/schemas";
import type { RunScope, ToolCallResult, ToolInvoker, ToolSpec } from "@flowdeck/node-library/runtime";
import { EngineError } from "./engine-errors";
import type { WorkflowIndex } from "./workflow-index";

export interface ToolInvokerOptions {
  readonly index: WorkflowIndex;
  readonly parentStepId: string;
  readonly scope: RunScope;
  /** The calling agent's own `tools` list: the only nodes it may run, whatever its executor asks for. */
  readonly allowed: readonly string[];
  /** Most calls the agent step may make, refused ones included (its `max_tool_calls_per_step`). */
  readonly maxCalls: number;
  /** Runs the tool node as a step of its own and returns its output. */
  readonly runTool: (node: WorkflowNode, stepId: string, scope: RunScope) => Promise<unknown>;
  /** Records a refused call in the run's trace (`tool.refused`). */
  readonly onRefused: (refusal: { name: string; code: "FD216" | "FD217"; message: string }) => void;
}

/** Longest tool name kept in the trace: the name is the model's text, not the flow's. */
const MAX_TRACED_NAME = 64;

/**
 * The tool nodes an agent may call: those on its `tools` list, at most `maxCalls` times per step. The list
 * comes from the engine's copy of the agent's config, so neither the model nor the executor can reach another
 * node of the flow. A tool's parameters are the `input.*` names its templates read, so a flow author never
 * writes a function schema: `order_id: "{{ input.order_id }}"` makes `order_id` a parameter. When the model
 * calls it, its arguments for those names are laid over `input` for that one step (so a value the model must
 * not choose belongs in `vars`, which it cannot reach).
 */
export function createToolInvoker(options: ToolInvokerOptions): ToolInvoker {
  const allowed = new Set(options.allowed);
  const calls = new Map<string, number>();
  let made = 0;
  const toolNode = (name: string): WorkflowNode | undefined => {
    if (!allowed.has(name)) return undefined;
    const node = options.index.node(name);
    return node && node.type.startsWith("tool.") ? node : undefined;
  };
  const refuse = (name: string, code: "FD216" | "FD217", message: string): ToolCallResult => {
    options.onRefused({ name: name.slice(0, MAX_TRACED_NAME), code, message });
    return { status: "refused", code, message };
  };
  return {
    describe(names): readonly ToolSpec[] {
      return names.flatMap((name) => {
        if (!allowed.has(name)) return [];
        const node = toolNode(name);
        if (!node) throw new EngineError("FD200", `"${name}" is not a tool node of this flow.`);
        const params = inputParameters(node);
        return [
          {
            name,
            description: node.description ?? `Runs the ${node.type} node "${name}".`,
            parameters: {
              type: "object",
              properties: Object.fromEntries(params.map((p) => [p, { type: "string" }])),
              required: params,
              additionalProperties: false,
            },
          },
        ];
      });
    },
    async invoke(name, args) {
      made += 1;
      if (made > options.maxCalls) {
        return refuse(
          name,
          "FD217",
          `Not run: this step already made ${String(options.maxCalls)} tool calls.`,
        );
      }
      const node = toolNode(name);
      if (!node) return refuse(name, "FD216", "Not run: this agent has no such tool.");
      const count = (calls.get(name) ?? 0) + 1;
      calls.set(name, count);
      const stepId = `${options.parentStepId}/${name}#${count}`;
      const input = { ...options.scope.input, ...stringArguments(args, inputParameters(node)) };
      return {
        status: "completed",
        output: await options.runTool(node, stepId, { ...options.scope, input }),
      };
    },
  };
}

/** The model's arguments for the tool's parameters only; anything else it sends is dropped. */
function stringArguments(args: Record<string, unknown>, params: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of params) {
    if (!Object.hasOwn(args, key)) continue;
    const value = args[key];
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
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
