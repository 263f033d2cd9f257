import {
  celMessage,
  celProgram,
  CONDITION_ROOTS,
  createLiquid,
  EvaluationLimitError,
  renderBounded,
  TemplateFileError,
  templateLimitError,
  TEMPLATE_ROOTS,
} from "@flowdeck/schemas";
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
    entities: scope.entities ?? {},
    nodes: scope.nodes,
    conversation: scope.conversation,
    tenant: scope.tenant,
    ...extra,
  };
}

/**
 * Renders a template against the run's scope. The result is plain text: chat messages, tool results and model
 * output inside the scope are data and are never parsed as templates themselves. The render is bounded in
 * time, allocation and output (schemas' TEMPLATE_LIMITS) and reads no file: a step's timeout cannot fire while
 * a render holds the event loop, so the bound has to hold inside it.
 */
export async function renderTemplate(
  template: string,
  scope: RunScope,
  extra?: Record<string, unknown>,
): Promise<string> {
  if (!template.includes("{{") && !template.includes("{%")) return template;
  try {
    return renderBounded(liquid, parsedTemplate(template), scopeObject(scope, extra));
  } catch (error) {
    throw engineError(error, "FD211", "Template");
  }
}

/** FD213 a file was asked for, FD214 a limit was reached, otherwise the caller's code. */
function engineError(error: unknown, code: "FD210" | "FD211", what: string): EngineError {
  const cause = (error as { originalError?: unknown } | null)?.originalError ?? error;
  if (cause instanceof TemplateFileError) return new EngineError("FD213", cause.message, { cause });
  const limit = cause instanceof EvaluationLimitError ? cause : templateLimitError(error);
  if (limit) return new EngineError("FD214", `${what} stopped: ${limit.message}.`, { cause: limit });
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  return new EngineError(code, `${what} failed: ${celMessage(message)}`, { cause: error });
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
    // Converting the whole scope (every node's output, the conversation's history) for each expression was
    // most of a pure step's cost; a root the text never names cannot be read, so it stays null.
    for (const root of roots)
      celContext[root] = namesRoot(expression, root) ? toCel(context[root] ?? null) : null;
    return fromCel(program(celContext));
  } catch (error) {
    throw engineError(error, "FD210", `Expression "${expression}"`);
  }
}

// Per expression text: the identifiers it names outside a member selection (`x.vars` names `x` only). A name
// inside a string literal counts too (harmless: that root is converted for nothing); CEL cannot reach a root
// without naming it.
const namedIdentifiers = new Map<string, ReadonlySet<string>>();
const MAX_REMEMBERED_EXPRESSIONS = 5_000;
const IDENTIFIER = /(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*/g;

function namesRoot(expression: string, root: string): boolean {
  let named = namedIdentifiers.get(expression);
  if (named === undefined) {
    named = new Set(expression.match(IDENTIFIER));
    if (namedIdentifiers.size >= MAX_REMEMBERED_EXPRESSIONS) namedIdentifiers.clear();
    namedIdentifiers.set(expression, named);
  }
  return named.has(root);
}
