import {
  celMessage,
  celProgram,
  type CelProgram,
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
  return evaluate(expression, expressionPrograms, EXPRESSION_ROOTS, scope, extra);
}

/** Evaluates an edge condition, which also sees `output` (the source node's output). */
export function evaluateCondition(expression: string, scope: RunScope, output: unknown): unknown {
  return evaluate(expression, conditionPrograms, CONDITION_ROOTS, scope, { output });
}

/** An expression compiled for one set of roots, with which of those roots its text names. */
interface Compiled {
  readonly program: CelProgram;
  /** Per root (in the order of the roots): whether the text names it. */
  readonly reads: readonly boolean[];
}

// Per expression text, one cache per set of roots: a loop evaluates the same few expressions on every step,
// and looking them up by text alone skips building the roots-and-text key of schemas' own cache each time.
const MAX_COMPILED = 5_000;
const expressionPrograms = new Map<string, Compiled>();
const conditionPrograms = new Map<string, Compiled>();

// The identifiers a text names outside a member selection (`x.vars` names `x` only). A name inside a string
// literal counts too (harmless: that root is converted for nothing); CEL cannot reach a root without naming it.
const IDENTIFIER = /(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*/g;

function compiled(cache: Map<string, Compiled>, expression: string, roots: readonly string[]): Compiled {
  let entry = cache.get(expression);
  if (entry === undefined) {
    // A text that does not compile throws here each time; nothing is kept for it.
    const program = celProgram(expression, roots);
    const named = new Set(expression.match(IDENTIFIER));
    entry = { program, reads: roots.map((root) => named.has(root)) };
    if (cache.size >= MAX_COMPILED) cache.clear();
    cache.set(expression, entry);
  }
  return entry;
}

function evaluate(
  expression: string,
  cache: Map<string, Compiled>,
  roots: readonly string[],
  scope: RunScope,
  extra: Record<string, unknown> | undefined,
): unknown {
  try {
    const { program, reads } = compiled(cache, expression, roots);
    const celContext: Record<string, unknown> = {};
    // Converting the whole scope (every node's output, the conversation's history) for each expression was
    // most of a pure step's cost; a root the text never names cannot be read, so it stays null.
    for (let i = 0; i < roots.length; i += 1) {
      const root = roots[i]!;
      celContext[root] = reads[i] ? toCel(rootValue(scope, extra, root) ?? null) : null;
    }
    return fromCel(program(celContext));
  } catch (error) {
    throw engineError(error, "FD210", `Expression "${expression}"`);
  }
}

/** A root's value as `scopeObject` would give it (`extra` over the scope), without building that object. */
function rootValue(scope: RunScope, extra: Record<string, unknown> | undefined, root: string): unknown {
  if (extra !== undefined && Object.hasOwn(extra, root)) return extra[root];
  switch (root) {
    case "input":
      return scope.input;
    case "vars":
      return scope.vars;
    case "entities":
      return scope.entities ?? {};
    case "nodes":
      return scope.nodes;
    case "conversation":
      return scope.conversation;
    case "tenant":
      return scope.tenant;
    default:
      return undefined;
  }
}
