import { regexProblem } from "./regex";

/**
 * What a CEL expression can cost, read from its AST once at compile time. cel-js has parse limits but no
 * evaluation budget, so the runtime bounds the one construct whose cost multiplies: comprehensions (`all`,
 * `exists`, `exists_one`, `map`, `filter`) nested inside each other over lists from the run's data.
 */
export interface CelCost {
  /** Comprehensions nested in each other's bodies (0: none; 2: a loop inside a loop). */
  readonly loopDepth: number;
  /** The longest list or map written in the expression itself. */
  readonly largestLiteral: number;
  /** `split` turns a string into a list, so long strings count as lists for the budget. */
  readonly splitsStrings: boolean;
}

/** A problem seen in the expression before it runs: FD137 a pattern RE2 refuses, FD138 unbounded work. */
export interface CelRisk {
  readonly code: "FD137" | "FD138";
  readonly message: string;
  readonly offset: number;
}

/** The name `matches` is given in the AST: cel-js's own overload uses JavaScript's backtracking RegExp. */
export const RE2_MATCHES = "re2Matches";
const LOOPS = new Set(["all", "exists", "exists_one", "map", "filter"]);

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
  start?: number;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as AstNode).op === "string";
}

function children(node: AstNode): unknown[] {
  return Array.isArray(node.args) ? node.args.flat() : [node.args];
}

/**
 * Points every `matches` call at the RE2 overload (cel-js refuses a second `string.matches(string)`), and
 * reports the costs and risks of the expression. Runs before the type check, which binds calls to overloads.
 */
export function boundCel(ast: unknown): { cost: CelCost; risks: CelRisk[] } {
  const risks: CelRisk[] = [];
  let largestLiteral = 0;
  let splitsStrings = false;
  // Each frame: a node and how many loop bodies enclose it.
  const stack: { node: unknown; depth: number }[] = [{ node: ast, depth: 0 }];
  let loopDepth = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, depth });
      continue;
    }
    if (!isNode(node)) continue;
    loopDepth = Math.max(loopDepth, depth);
    if (node.op === "list" && Array.isArray(node.args))
      largestLiteral = Math.max(largestLiteral, node.args.length);
    if (node.op === "map" && Array.isArray(node.args))
      largestLiteral = Math.max(largestLiteral, node.args.length);
    if ((node.op === "rcall" || node.op === "call") && Array.isArray(node.args)) {
      const call = node.args as unknown[];
      const name = call[0];
      if (name === "matches" || name === RE2_MATCHES) {
        call[0] = RE2_MATCHES;
        checkPattern(node, risks);
      }
      if (name === "split") splitsStrings = true;
      if (node.op === "rcall" && typeof name === "string" && LOOPS.has(name)) {
        const body = call[2];
        if (depth + 1 >= 2) {
          risks.push({
            code: "FD138",
            message: `${name}() inside another loop: its work multiplies with the size of the lists it reads`,
            offset: node.pos ?? node.start ?? 0,
          });
        }
        loopDepth = Math.max(loopDepth, depth + 1);
        stack.push({ node: call[1], depth });
        stack.push({ node: body, depth: depth + 1 });
        continue;
      }
    }
    for (const child of children(node)) stack.push({ node: child, depth });
  }
  return { cost: { loopDepth, largestLiteral, splitsStrings }, risks };
}

function checkPattern(node: AstNode, risks: CelRisk[]): void {
  const call = node.args as unknown[];
  const args = (node.op === "rcall" ? call[2] : call[1]) as unknown[];
  const pattern = node.op === "rcall" ? args[0] : args[1];
  const text = literalString(pattern);
  if (isNode(pattern) && text !== undefined) {
    const problem = regexProblem(text);
    if (problem) {
      risks.push({
        code: "FD137",
        message: `This pattern cannot be used: ${problem}`,
        offset: pattern.pos ?? pattern.start ?? 0,
      });
    }
    return;
  }
  risks.push({
    code: "FD138",
    message:
      "matches() with a pattern that is not written out: it is only known when the flow runs, so it cannot be checked now",
    offset: isNode(pattern) ? (pattern.pos ?? pattern.start ?? 0) : (node.pos ?? 0),
  });
}

/** The pattern's text when it is written out: a string literal, or literals joined with `+` (a long pattern). */
function literalString(node: unknown, depth = 0): string | undefined {
  if (!isNode(node) || depth > 64) return undefined;
  if (node.op === "value") return typeof node.args === "string" ? node.args : undefined;
  if (node.op !== "+" || !Array.isArray(node.args)) return undefined;
  const left = literalString(node.args[0], depth + 1);
  const right = left === undefined ? undefined : literalString(node.args[1], depth + 1);
  return left === undefined || right === undefined ? undefined : left + right;
}
