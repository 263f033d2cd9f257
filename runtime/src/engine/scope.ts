import { celProgram, CONDITION_ROOTS, createLiquid, TEMPLATE_ROOTS } from "@flowdeck/schemas";
import type { RunScope } from "@flowdeck/node-library/runtime";
import { EngineError } from "./engine-errors";
import { fromCel, toCel } from "./expression-values";

const liquid = createLiquid();
/** Parsed templates kept per process: a flow renders the same few templates on every run. */
const MAX_PARSED_TEMPLATES = 2_000;
const parsedTemplates = new Map<string, ReturnType<typeof liquid.parse>>();

/** The template parsed once (a parse error is thrown each time, nothing is kept for it). */
function parsedTemplate(template: string): ReturnType<typeof liquid.parse> {
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    parsed = liquid.parse(template);
    if (parsedTemplates.size >= MAX_PARSED_TEMPLATES)
      parsedTemplates.delete(parsedTemplates.keys().next().value!);
    parsedTemplates.set(template, parsed);
  }
  return parsed;
}
const EXPRESSION_ROOTS = [...TEMPLATE_ROOTS, "answer"] as const;

function scopeObject(scope: RunScope, extra?: Record<string, unknown>): Record<string, unknown> {
  return {
    input: scope.input,
    vars: scope.vars,
    nodes: scope.nodes,
    conversation: scope.conversation,
    tenant: scope.tenant,
    ...extra,
  };
}

/**
 * Renders a template against the run's scope. The result is plain text: chat messages, tool results and model
 * output inside the scope are data and are never parsed as templates themselves.
 */
export async function renderTemplate(
  template: string,
  scope: RunScope,
  extra?: Record<string, unknown>,
): Promise<string> {
  if (!template.includes("{{") && !template.includes("{%")) return template;
  try {
    return String(await liquid.render(parsedTemplate(template), scopeObject(scope, extra)));
  } catch (error) {
    throw new EngineError(
      "FD211",
      `Template failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Evaluates a config expression (`condition`, `set`, `ask.validation`) against the scope. */
export function evaluateExpression(
  expression: string,
  scope: RunScope,
  extra?: Record<string, unknown>,
): unknown {
  return evaluate(expression, EXPRESSION_ROOTS, scopeObject(scope, extra));
}

/** Evaluates an edge condition, which also sees `output` (the source node's output). */
export function evaluateCondition(expression: string, scope: RunScope, output: unknown): unknown {
  return evaluate(expression, CONDITION_ROOTS, scopeObject(scope, { output }));
}

function evaluate(expression: string, roots: readonly string[], context: Record<string, unknown>): unknown {
  try {
    const program = celProgram(expression, roots);
    const celContext: Record<string, unknown> = {};
    for (const root of roots) celContext[root] = toCel(context[root] ?? null);
    return fromCel(program(celContext));
  } catch (error) {
    throw new EngineError(
      "FD210",
      `Expression "${expression}" failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      { cause: error },
    );
  }
}
