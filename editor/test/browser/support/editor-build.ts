// The production build the browser tests (and the server) use. Built once per test run by global-setup.ts.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const EDITOR_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const EDITOR_DIST_DIR = join(EDITOR_ROOT, "dist");

/**
 * Runs `vite build` for the editor with its own vite.config.ts, into `outDir` (default editor/dist). Quiet unless
 * it fails.
 */
export async function buildEditor(outDir: string = EDITOR_DIST_DIR): Promise<void> {
  const { build } = await import("vite");
  // Vitest sets NODE_ENV=test, and Vite keeps a preset NODE_ENV: React would be bundled as its development build.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root: EDITOR_ROOT,
      configFile: join(EDITOR_ROOT, "vite.config.ts"),
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
