import type { Problem, WorkflowValidator } from "@flowdeck/schemas";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";

export function formatProblem(file: string, problem: Problem): string {
  return `${file}:${problem.line}:${problem.column} ${problem.severity} ${problem.code} ${problem.message}`;
}

/** `flowdeck validate FILE…`: one line per problem; exit 1 when any file has an error. */
export async function validateCommand(
  files: readonly string[],
  validator: WorkflowValidator,
  io: CliIo,
): Promise<number> {
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const result = validator.validate(await io.readText(file));
    for (const problem of result.problems) io.out(formatProblem(file, problem));
    errors += result.errorCount;
    warnings += result.warningCount;
  }
  io.err(`${files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
