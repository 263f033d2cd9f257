import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { nodePackageError } from "./node-package-error";

export const NODE_PACKAGES_CONFIG_FILE = "flowdeck.config.json";

/** Where packages are found and which ones: FLOWDECK_NODE_PACKAGES_DIR (default: the working folder). */
export function nodePackagesDir(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  return env.FLOWDECK_NODE_PACKAGES_DIR?.trim() || cwd;
}

/**
 * The packages to load, in order: FLOWDECK_NODE_PACKAGES (names or paths, separated by commas or spaces), then
 * `nodePackages` of flowdeck.config.json in the packages folder, each once. A config file that is not JSON of
 * that shape refuses the start (FD395) rather than starting without the nodes its flows need.
 */
export async function nodePackageSpecs(env: NodeJS.ProcessEnv, dir: string): Promise<string[]> {
  const fromEnv = (env.FLOWDECK_NODE_PACKAGES ?? "").split(/[\s,]+/).filter(Boolean);
  const fromFile = await configuredPackages(join(dir, NODE_PACKAGES_CONFIG_FILE));
  return [...new Set([...fromEnv, ...fromFile])];
}

async function configuredPackages(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw nodePackageError(file, `the file cannot be read (${(error as Error).message}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw nodePackageError(file, `it is not JSON (${(error as Error).message}).`);
  }
  const list = (parsed as { nodePackages?: unknown } | null)?.nodePackages;
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === "string" && entry.trim() !== "")) {
    throw nodePackageError(file, '"nodePackages" must be a list of package names or paths.');
  }
  return list.map((entry: string) => entry.trim());
}
