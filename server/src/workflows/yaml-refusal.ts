import type { Problem, ValidationResult } from "@flowdeck/schemas";
import { ApiError } from "../kit/api-error";

/**
 * An error answer lists at most this many problems (and `problemCount`, all of them): text that does not load
 * can be up to bodyLimitBytes of mistakes, and the first ones are what a person fixes first.
 */
export const MAX_PROBLEMS_IN_ERROR = 100;

/** `L:C FDxxx message`, as `flowdeck validate` prints a problem (without the file name). */
export function describeProblem(problem: Problem): string {
  return `${problem.line}:${problem.column} ${problem.code} ${problem.message}`;
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
    ? "The YAML cannot be loaded"
    : "The workflow needs a snake_case `name:` to be saved";
  return new ApiError("FD335", cause ? `${what}: ${describeProblem(cause)}` : `${what}.`, {
    details: problemDetails(result.problems),
  });
}

/**
 * 422 FD332: a workflow with errors cannot be published (or diffed); the first error is in the message. Every
 * problem is listed: a stored draft always loads, so the list is bounded by the document's own size.
 */
export function unpublishableWorkflow(result: ValidationResult): ApiError {
  const first = result.problems.find((p) => p.severity === "error");
  const count = `The workflow has ${result.errorCount} error(s)`;
  return new ApiError("FD332", first ? `${count}; the first: ${describeProblem(first)}` : `${count}.`, {
    details: { problems: result.problems },
  });
}
