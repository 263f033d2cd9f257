import { PROBLEM_CODES, type ProblemCode, type Severity } from "./problem-codes";

/** One thing wrong with a workflow file, placed where a person can find it (1-based line and column). */
export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  readonly message: string;
  /** Field path like `nodes[2].config.model`; empty for the whole document. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly hint: string;
}

export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function problem(
  code: ProblemCode,
  message: string,
  where: { path: readonly PathSegment[]; line: number; column: number },
  severity: Severity = PROBLEM_CODES[code].severity,
): Problem {
  return {
    code,
    severity,
    message,
    path: formatPath(where.path),
    line: where.line,
    column: where.column,
    hint: PROBLEM_CODES[code].hint,
  };
}

export function compareProblems(a: Problem, b: Problem): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
