import { formatWorkflowText, loadWorkflowText } from "@flowdeck/schemas";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";
import { formatProblem } from "./validate-command";

/**
 * `flowdeck format [--check] FILE…`: rewrites files in the canonical layout, keeping comments. A file whose
 * YAML does not parse is reported and left alone.
 */
export async function formatCommand(files: readonly string[], check: boolean, io: CliIo): Promise<number> {
  let failed = false;
  for (const file of files) {
    const text = await io.readText(file);
    const loaded = loadWorkflowText(text);
    const fatal = loaded.problems.filter((p) => p.severity === "error");
    if (loaded.doc === undefined || fatal.length > 0) {
      for (const problem of fatal) io.out(formatProblem(file, problem));
      failed = true;
      continue;
    }
    const formatted = formatWorkflowText(text);
    if (formatted === text) continue;
    if (check) {
      io.out(`${file}: would be reformatted`);
      failed = true;
    } else {
      await io.writeText(file, formatted);
      io.err(`formatted ${file}`);
    }
  }
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}
