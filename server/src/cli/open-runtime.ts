import { InvalidWorkflowError, type RunEvent } from "@flowdeck/runtime";
import { openEmbeddedRuntime, type EmbeddedRuntime } from "./embedded-runtime";
import type { CliIo } from "./io";
import { readWorkflowFile } from "./io";
import { formatProblem } from "./validate-command";

/** Opens the embedded runtime for a file, printing its problems instead when it does not validate. */
export async function openRuntimeOrReport(
  file: string,
  io: CliIo,
  onEvents?: (runId: string, events: readonly RunEvent[]) => void,
): Promise<EmbeddedRuntime | undefined> {
  await readWorkflowFile(file); // a missing file is a usage error (exit 2), not a workflow problem
  try {
    return await openEmbeddedRuntime(file, onEvents);
  } catch (error) {
    if (!(error instanceof InvalidWorkflowError)) throw error;
    for (const problem of error.problems) io.out(formatProblem(file, problem));
    return undefined;
  }
}
