import { Environment } from "@marcbachmann/cel-js";
import { boundCel, RE2_MATCHES, type CelCost, type CelRisk } from "./cel-bounds";
import { checkCelBudget } from "./cel-budget";
import { TemplateFileError } from "./evaluation-errors";
import { re2Matches } from "./regex";
import { createLiquid, templateRisks, type TemplateRisk } from "./template-engine";

/** A place inside an expression or template text: 1-based row and column. */
export interface TextPosition {
  readonly row: number;
  readonly col: number;
}

export interface Reference {
  /** The root name read (`input`, `nodes`, …). */
  readonly root: string;
  /** The second segment, e.g. the node name of `nodes.find_order.output`. */
  readonly name: string | undefined;
  readonly at: TextPosition;
}

/** Something to tell the author that does not stop the text from compiling (FD137 is still an error). */
export interface Risk {
  readonly code: "FD137" | "FD138";
  readonly message: string;
  readonly at: TextPosition;
}

export type CompileResult =
  | { readonly ok: true; readonly references: readonly Reference[]; readonly risks: readonly Risk[] }
  | {
      readonly ok: false;
      readonly message: string;
      readonly at: TextPosition;
      /** FD136 when the template asks for a file; otherwise the caller's generic code. */
      readonly code?: "FD136";
    };

const CEL_LIMITS = {
  maxAstNodes: 2000,
  maxDepth: 64,
  maxListElements: 1000,
  maxMapEntries: 1000,
  maxCallArguments: 32,
};

const liquid = createLiquid();
const celEnvironments = new Map<string, Environment>();
const celCache = new Map<string, CompileResult>();
const liquidCache = new Map<string, CompileResult>();
const CACHE_LIMIT = 5000;

function environmentFor(roots: readonly string[]): Environment {
  const key = roots.join(",");
  let env = celEnvironments.get(key);
  if (!env) {
    env = new Environment({
      unlistedVariablesAreDyn: false,
      homogeneousAggregateLiterals: false,
      limits: CEL_LIMITS,
    });
    for (const root of roots) env.registerVariable(root, "dyn");
    env.registerFunction(`string.${RE2_MATCHES}(string): bool`, re2Matches);
    celEnvironments.set(key, env);
  }
  return env;
}

function remember(cache: Map<string, CompileResult>, key: string, result: CompileResult): CompileResult {
  // The editor revalidates on every keystroke; a bounded cache keeps unchanged expressions free.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

function rowCol(text: string, offset: number): TextPosition {
  let row = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      row += 1;
      lineStart = i + 1;
    }
  }
  return { row, col: offset - lineStart + 1 };
}

/** Parses and type-checks a CEL expression against the names it may read. */
export function compileCel(expression: string, roots: readonly string[]): CompileResult {
  const key = `${roots.join(",")}\u0000${expression}`;
  const cached = celCache.get(key);
  if (cached) return cached;
  const env = environmentFor(roots);
  let result: CompileResult;
  try {
    const parsed = env.parse(expression);
    const { risks } = boundCel(parsed.ast);
    const checked = parsed.check();
    if (checked.valid) {
      result = {
        ok: true,
        references: celReferences(parsed.ast, expression),
        risks: risks.map((risk) => celRisk(risk, expression)),
      };
    } else {
      const error = checked.error as
        { summary?: string; message: string; range?: { start: number } } | undefined;
      result = {
        ok: false,
        message: celMessage(error?.summary ?? error?.message.split("\n")[0] ?? "invalid expression"),
        at: rowCol(expression, error?.range?.start ?? 0),
      };
    }
  } catch (error) {
    const celError = error as { summary?: string; message?: string; range?: { start: number } };
    result = {
      ok: false,
      message: celMessage(celError.summary ?? celError.message?.split("\n")[0] ?? String(error)),
      at: rowCol(expression, celError.range?.start ?? 0),
    };
  }
  return remember(celCache, key, result);
}

function celRisk(risk: CelRisk, expression: string): Risk {
  return { code: risk.code, message: risk.message, at: rowCol(expression, risk.offset) };
}

/** The author wrote `matches`; the RE2 overload's internal name never shows. */
export function celMessage(message: string): string {
  return message.replaceAll(RE2_MATCHES, "matches");
}

interface CelNode {
  op: string;
  args: unknown;
  start?: number;
  pos?: number;
}

function isCelNode(value: unknown): value is CelNode {
  return typeof value === "object" && value !== null && typeof (value as CelNode).op === "string";
}

/** Macros whose first argument names a loop variable: `list.all(x, x > 0)` reads `x`, not a root called x. */
const LOOP_MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

/**
 * Reads `root.name` member accesses out of the AST (iteratively; CEL's own limits bound its size). A loop
 * macro's variable is bound inside its body and is no reference.
 */
function celReferences(ast: unknown, expression: string): Reference[] {
  const references: Reference[] = [];
  const stack: { node: unknown; bound: ReadonlySet<string> }[] = [{ node: ast, bound: new Set() }];
  while (stack.length > 0) {
    const { node, bound } = stack.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, bound });
      continue;
    }
    if (!isCelNode(node)) continue;
    const args = Array.isArray(node.args) ? node.args : [node.args];
    const loop = loopVariable(node, args);
    if (loop) {
      stack.push({ node: args[1], bound });
      stack.push({ node: loop.body, bound: new Set([...bound, loop.name]) });
      continue;
    }
    if ((node.op === "." || node.op === ".?") && isCelNode(args[0]) && args[0].op === "id") {
      if (bound.has(String(args[0].args))) continue;
      references.push({
        root: String(args[0].args),
        name: typeof args[1] === "string" ? args[1] : undefined,
        at: rowCol(expression, node.pos ?? node.start ?? 0),
      });
      continue;
    }
    if (node.op === "id") {
      if (bound.has(String(node.args))) continue;
      references.push({ root: String(node.args), name: undefined, at: rowCol(expression, node.start ?? 0) });
      continue;
    }
    for (const arg of args) stack.push({ node: arg, bound });
  }
  return references;
}

/** `receiver.all(x, body)` → x and the body (the rest of the macro's arguments). */
function loopVariable(node: CelNode, args: unknown[]): { name: string; body: unknown[] } | undefined {
  if (node.op !== "rcall" || typeof args[0] !== "string" || !LOOP_MACROS.has(args[0])) return undefined;
  const macroArgs = args[2];
  if (!Array.isArray(macroArgs) || !isCelNode(macroArgs[0]) || macroArgs[0].op !== "id") return undefined;
  return { name: String(macroArgs[0].args), body: macroArgs.slice(1) };
}

/** Parses a Liquid template and lists the global variables it reads (loop and assigned names excluded). */
export function compileTemplate(template: string): CompileResult {
  const cached = liquidCache.get(template);
  if (cached) return cached;
  let result: CompileResult;
  // Plain text needs no parser: most config strings are, and skipping them keeps big flows fast to check.
  if (!template.includes("{{") && !template.includes("{%")) {
    result = { ok: true, references: [], risks: [] };
  } else {
    try {
      const parsed = liquid.parse(template);
      const analysis = liquid.analyzeSync(parsed, { partials: false });
      const references: Reference[] = [];
      for (const variables of Object.values(analysis.globals)) {
        for (const variable of variables) {
          const [root, name] = variable.segments;
          references.push({
            root: String(root),
            name: typeof name === "string" ? name : undefined,
            at: { row: variable.location.row, col: variable.location.col },
          });
        }
      }
      result = { ok: true, references, risks: templateRisks(parsed).map(templateRisk) };
    } catch (error) {
      const liquidError = error as {
        message?: string;
        token?: { getPosition?: () => [number, number] };
        originalError?: unknown;
      };
      const [row, col] = liquidError.token?.getPosition?.() ?? [1, 1];
      const message = (liquidError.message ?? String(error)).replace(/, line:\d+, col:\d+$/, "");
      result =
        liquidError.originalError instanceof TemplateFileError
          ? { ok: false, code: "FD136", message: liquidError.originalError.message, at: { row, col } }
          : { ok: false, message, at: { row, col } };
    }
  }
  return remember(liquidCache, template, result);
}

function templateRisk(risk: TemplateRisk): Risk {
  return { code: "FD138", message: risk.message, at: risk.at };
}

const SINGLE_BRACE = /(?<![{\\])\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}(?!\})/;

/** Finds a `{message}`-style placeholder (the seed's older form), which Liquid would print literally. */
export function findSingleBracePlaceholder(template: string): { name: string; at: TextPosition } | undefined {
  const match = SINGLE_BRACE.exec(template);
  if (!match || match.index === undefined) return undefined;
  return { name: match[1] ?? "", at: rowCol(template, match.index) };
}

/** A compiled expression; `cost` is what `checkCelBudget` weighs against the data before each run. */
export interface CelProgram {
  (context: Record<string, unknown>): unknown;
  readonly cost: CelCost;
}

const programCache = new Map<string, CelProgram>();

/**
 * A compiled CEL expression, ready to evaluate many times (parse once: ~0.3 µs per evaluation). Uses the same
 * environment as validation, so what validates is exactly what runs. Throws the CEL error on bad input; callers
 * validate first. Before an expression with loops runs, its worst case on this context is weighed, and one
 * over the budget throws `EvaluationLimitError` instead of holding the process (`cel-budget.ts`).
 */
export function celProgram(expression: string, roots: readonly string[]): CelProgram {
  const key = `${roots.join(",")}\u0000${expression}`;
  let program = programCache.get(key);
  if (!program) {
    const parsed = environmentFor(roots).parse(expression);
    const { cost } = boundCel(parsed.ast);
    program = Object.assign(
      (context: Record<string, unknown>) => {
        if (cost.loopDepth > 0) checkCelBudget(cost, context);
        return parsed(context);
      },
      { cost },
    );
    if (programCache.size >= CACHE_LIMIT) programCache.clear();
    programCache.set(key, program);
  }
  return program;
}
