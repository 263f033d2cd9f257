import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLError,
} from "yaml";
import { flowDepthExceededAt } from "./flow-depth";
import { DEFAULT_LIMITS, FORBIDDEN_KEYS, utf8ByteLength, type LoadLimits } from "./limits";
import { problem, type PathSegment, type Problem } from "./problem";
import type { ProblemCode } from "./problem-codes";
import { SourceMap } from "./source-map";

/** A workflow file after parsing: the YAML document (for edits), its plain value (for checks), and problems. */
export interface LoadedWorkflow {
  readonly text: string;
  /** Undefined only when the file was refused before parsing (too large). */
  readonly doc: Document.Parsed | undefined;
  readonly sourceMap: SourceMap;
  /** The plain-data view; undefined when the YAML itself is broken or refused. */
  readonly value: unknown;
  readonly problems: readonly Problem[];
}

/** Options that keep the YAML the user wrote: comments, key order, quoting, flow or block style. */
export const PARSE_OPTIONS = {
  keepSourceTokens: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
} as const;

export function loadWorkflowText(text: string, limits: LoadLimits = DEFAULT_LIMITS): LoadedWorkflow {
  const lineCounter = new LineCounter();
  const bytes = utf8ByteLength(text);
  if (bytes > limits.maxBytes) {
    const sourceMap = new SourceMap(text, undefined, lineCounter);
    const tooLarge = problem(
      "FD101",
      `The file is ${formatSize(bytes)}; a workflow may be at most ${formatSize(limits.maxBytes)}.`,
      {
        path: [],
        line: 1,
        column: 1,
      },
    );
    return { text, doc: undefined, sourceMap, value: undefined, problems: [tooLarge] };
  }

  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  const sourceMap = new SourceMap(text, doc, lineCounter);
  const problems: Problem[] = [];
  const overflow = doc.errors.find((error) => STACK_OVERFLOW.test(error.message));
  if (overflow) {
    // What else the parser said depends on where its stack ended; the one stable problem is the depth.
    return { text, doc, sourceMap, value: undefined, problems: [tooDeep(text, overflow, sourceMap, limits)] };
  }
  for (const error of doc.errors) problems.push(yamlProblem(error, sourceMap, "error"));
  for (const warning of doc.warnings) problems.push(yamlProblem(warning, sourceMap, "warning"));
  if (doc.errors.length > 0) return { text, doc, sourceMap, value: undefined, problems };

  const structural = scanStructure(doc, sourceMap, limits);
  problems.push(...structural);
  if (structural.length > 0) return { text, doc, sourceMap, value: undefined, problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasExpansion });
  } catch (error) {
    // The yaml package throws a ReferenceError when aliases expand past maxAliasCount (billion laughs).
    const message = error instanceof Error ? error.message : String(error);
    const where = firstAlias(doc, sourceMap);
    problems.push(
      problem("FD102", `The YAML aliases in this file expand to too much data (${message}).`, where),
    );
    return { text, doc, sourceMap, value: undefined, problems };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const where = { path: [], ...sourceMap.locate([]) };
    problems.push(
      problem(
        "FD105",
        "This file is not a workflow: it should start with fields like name: and nodes:.",
        where,
      ),
    );
    return { text, doc, sourceMap, value: undefined, problems };
  }
  return { text, doc, sourceMap, value, problems };
}

const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/**
 * One FD103 for a file the yaml parser could not read for running out of stack, at the first place its flow
 * collections nest too deep: the parser's own errors (dozens) sit wherever the stack ended, which differs
 * from call to call, so the CLI and the API would place the same file differently.
 */
function tooDeep(text: string, error: YAMLError, sourceMap: SourceMap, limits: LoadLimits): Problem {
  const offset = flowDepthExceededAt(text, limits.maxDepth) ?? error.pos[0];
  const message = `Values are nested more than ${limits.maxDepth} levels deep here; the file cannot be read.`;
  return problem("FD103", message, { path: [], ...sourceMap.position(offset) });
}

function yamlProblem(error: YAMLError, sourceMap: SourceMap, severity: "error" | "warning"): Problem {
  const at = sourceMap.position(error.pos[0]);
  const firstLine = error.message.split("\n")[0] ?? error.message;
  // yaml appends "at line L, column C"; we report the position separately.
  const text = firstLine.replace(/ at line \d+, column \d+:?$/, "");
  let code: ProblemCode = severity === "error" ? "FD100" : "FD107";
  let message = `The YAML could not be read: ${lowerFirst(text)}.`;
  if (error.code === "DUPLICATE_KEY") {
    code = "FD106";
    message = "This key appears twice in the same mapping; the second would silently replace the first.";
  } else if (severity === "warning") {
    message = `Unusual YAML: ${lowerFirst(text)}.`;
  }
  return problem(code, message, { path: [], ...at }, severity);
}

/**
 * One iterative pass over the document (no recursion, so depth cannot overflow the stack): nesting depth,
 * alias count and keys that could reach an object's prototype.
 */
function scanStructure(doc: Document.Parsed, sourceMap: SourceMap, limits: LoadLimits): Problem[] {
  const problems: Problem[] = [];
  let aliases = 0;
  let aliasReported = false;
  let depthReported = false;
  const stack: Array<{ node: unknown; depth: number; path: PathSegment[] }> = [
    { node: doc.contents, depth: 0, path: [] },
  ];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > limits.maxAliases && !aliasReported) {
        aliasReported = true;
        const where = { path, ...sourceMap.position(node.range?.[0] ?? 0) };
        problems.push(
          problem("FD102", `The file uses more than ${limits.maxAliases} YAML aliases (*name).`, where),
        );
      }
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth >= limits.maxDepth) {
      if (!depthReported) {
        depthReported = true;
        const where = { path, ...sourceMap.position(node.range?.[0] ?? 0) };
        problems.push(
          problem("FD103", `Values are nested more than ${limits.maxDepth} levels deep here.`, where),
        );
      }
      continue;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
          const where = { path: [...path, key], ...sourceMap.position((pair.key as Node).range?.[0] ?? 0) };
          problems.push(problem("FD104", `The key "${key}" is not allowed in a workflow file.`, where));
        }
        if (isCollection(pair.key)) {
          // JavaScript objects cannot hold such keys; yaml would stringify them behind the user's back.
          const where = { path, ...sourceMap.position((pair.key as Node).range?.[0] ?? 0) };
          problems.push(
            problem("FD108", "A list or a mapping is used as a key here; keys must be names.", where),
          );
        } else if (isAlias(pair.key)) stack.push({ node: pair.key, depth: depth + 1, path });
        stack.push({ node: pair.value, depth: depth + 1, path: key === undefined ? path : [...path, key] });
      }
    } else {
      node.items.forEach((item, index) =>
        stack.push({ node: item, depth: depth + 1, path: [...path, index] }),
      );
    }
  }
  return problems;
}

function firstAlias(
  doc: Document.Parsed,
  sourceMap: SourceMap,
): { path: PathSegment[]; line: number; column: number } {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) return { path: [], ...sourceMap.position(node.range?.[0] ?? 0) };
    // Pushed in reverse so that the first alias in reading order is found first.
    if (isMap(node)) for (const pair of [...node.items].reverse()) stack.push(pair.value, pair.key);
    else if (isCollection(node)) stack.push(...[...node.items].reverse());
  }
  return { path: [], line: 1, column: 1 };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
