/** `flowdeck` exit codes: scripts and CI tell "the files have errors" apart from "the command was wrong". */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override readonly name = "UsageError";
}
