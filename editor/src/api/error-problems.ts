// The problems a refusal carries in `details.problems` (a workflow file that cannot be saved, FD335; one that
// cannot be published, FD332), as lines a person reads. The message only names the first; the hint tells
// programs where the rest are, so a screen that shows an error shows these instead of pointing at `details`.
import { ApiError, describeError } from "./api-error";

/** How many problems a notice lists before "and N more". */
export const SHOWN_PROBLEMS = 3;

interface ProblemLike {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity?: string;
}

function problemsOf(error: unknown): { problems: ProblemLike[]; total: number } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const listed = error.details?.problems;
  if (!Array.isArray(listed)) return undefined;
  const problems = listed.filter(
    (p): p is ProblemLike =>
      typeof p === "object" && p !== null && typeof (p as ProblemLike).message === "string",
  );
  if (problems.length === 0) return undefined;
  const count = error.details?.problemCount;
  return { problems, total: typeof count === "number" && count >= problems.length ? count : problems.length };
}

function lineOf(problem: ProblemLike): string {
  const at =
    typeof problem.line === "number"
      ? `Line ${problem.line}${typeof problem.column === "number" ? `, column ${problem.column}` : ""}: `
      : "";
  return `${at}${problem.message}`;
}

/**
 * The first `max` problems (errors before warnings, each "Line 4, column 3: …") and, when there are more,
 * "…and N more." as the last line. Empty when the error carries no problems.
 */
export function problemLines(error: unknown, max = SHOWN_PROBLEMS): string[] {
  const found = problemsOf(error);
  if (!found) return [];
  const ordered = [
    ...found.problems.filter((p) => p.severity !== "warning"),
    ...found.problems.filter((p) => p.severity === "warning"),
  ];
  const shown = ordered.slice(0, max).map(lineOf);
  const more = found.total - shown.length;
  return more > 0 ? [...shown, `…and ${more} more.`] : shown;
}

/**
 * A notice for a refusal: a headline and the lines below it. With problems, the headline is `what` and the
 * server's hint (the message would repeat the first problem); without, `what` and the message and hint.
 */
export function errorNotice(what: string, error: unknown): { text: string; lines: string[] } {
  const lines = problemLines(error);
  if (lines.length > 0 && error instanceof ApiError)
    return { text: error.hint ? `${what}. ${error.hint}` : `${what}.`, lines };
  return { text: `${what}: ${describeError(error)}`, lines: [] };
}
