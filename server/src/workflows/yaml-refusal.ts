import type { Problem, ValidationResult } from "@flowdeck/schemas";
import { ApiError } from "../kit/api-error";

/**
 * An error answer lists at most this many problems (and `problemCount`, all of them): text that does not load
 * can be up to bodyLimitBytes of mistakes, and the first ones are what a person fixes first.
 */
export const MAX_PROBLEMS_IN_ERROR = 100;

/**
 * "Line 4, column 3: <message>": a problem as the builder's banner shows it, in the words the editor lists the
 * others in (editor `api/error-problems.ts`). The code stays in `details.problems` with the line, column and
 * path, for programs; `flowdeck validate` prints its own compiler-style `file:4:3 error FD100 …`.
 */
export function problemInWords(problem: Problem): string {
  return `Line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

/** "1 error. Line 4, column 3: …", or "3 errors. The first one is on line 4, column 3: …". */
export function errorsInWords(errorCount: number, first: Problem | undefined): string {
  const count = errorCount === 1 ? "1 error" : `${errorCount} errors`;
  if (!first) return `${count}.`;
  if (errorCount === 1) return `${count}. ${problemInWords(first)}`;
  return `${count}. The first one is on line ${first.line}, column ${first.column}: ${first.message}`;
}

function problemDetails(problems: readonly Problem[]): { problems: Problem[]; problemCount: number } {
  return { problems: problems.slice(0, MAX_PROBLEMS_IN_ERROR), problemCount: problems.length };
}

/**
 * 400 FD335 for YAML the API cannot store as a draft: text the language refuses to load (syntax, size, aliases,
 * nesting, forbidden or duplicate keys, not a mapping: FD100–FD108) or a workflow without a snake_case `name`.
 * The answer carries the language's own problems, with the codes and positions the CLI prints for the same text,
 * so the editor and API clients can point at the spot instead of guessing from one generic code.
 */
export function unsavableYaml(result: ValidationResult): ApiError {
  const errors = result.problems.filter((p) => p.severity === "error");
  const unreadable = result.loaded.value === undefined;
  const cause = unreadable
    ? errors[0]
    : (errors.find((p) => p.path === "name") ?? errors.find((p) => p.code === "FD111" && p.path === ""));
  const what = unreadable
    ? "The YAML cannot be loaded."
    : "The workflow needs a name of lowercase letters, digits and underscores to be saved.";
  return new ApiError("FD335", cause ? `${what} ${problemInWords(cause)}` : what, {
    details: problemDetails(result.problems),
  });
}

/**
 * 422 FD332: a workflow with errors cannot be published (or diffed); the first error is in the message. Every
 * problem is listed: a stored draft always loads, so the list is bounded by the document's own size.
 */
export function unpublishableWorkflow(result: ValidationResult): ApiError {
  const first = result.problems.find((p) => p.severity === "error");
  return new ApiError("FD332", `The workflow has ${errorsInWords(result.errorCount, first)}`, {
    details: { problems: result.problems },
  });
}
