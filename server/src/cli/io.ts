import { readFile, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { UsageError } from "./exit-codes";

export interface CliIo {
  readonly out: (line: string) => void;
  /** Text without a line break (streamed model output). */
  readonly write: (text: string) => void;
  readonly err: (line: string) => void;
  readonly readText: (path: string) => Promise<string>;
  readonly writeText: (path: string, text: string) => Promise<void>;
}

/** Reads a file as text, turning file-system errors into one clear sentence. */
export async function readWorkflowFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a folder"
          : code === "EACCES"
            ? "permission denied"
            : String(code ?? error);
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
  readText: readWorkflowFile,
  writeText: (path, text) => writeFile(path, text, "utf8"),
};

/** Standard input, one line at a time (the chat and route commands). */
export function stdinLines(): AsyncIterable<string> {
  const reader = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  // Taking the iterator at once makes readline buffer lines that arrive (piped input) before the loop starts.
  const iterator = reader[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}
