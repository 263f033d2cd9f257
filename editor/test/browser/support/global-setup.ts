// Vitest globalSetup of the editor-browser project: one production build of the editor for every test file, in a
// fresh temporary folder so a concurrent `vite build` (or another test run) can never swap files under a running
// test; the folder goes away afterwards. FLOWDECK_SKIP_EDITOR_BUILD=1 serves editor/dist as it is instead (quick
// reruns while writing tests).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { chromiumAvailability } from "./chromium";
import { buildEditor, EDITOR_DIST_DIR } from "./editor-build";

declare module "vitest" {
  export interface ProvidedContext {
    /** The editor build the test servers serve. */
    editorDistDir: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const chromium = chromiumAvailability();
  if (!chromium.available) {
    console.warn(chromium.reason);
    project.provide("editorDistDir", EDITOR_DIST_DIR);
    return undefined;
  }
  if (process.env.FLOWDECK_SKIP_EDITOR_BUILD === "1" && existsSync(join(EDITOR_DIST_DIR, "index.html"))) {
    project.provide("editorDistDir", EDITOR_DIST_DIR);
    return undefined;
  }
  const outDir = await mkdtemp(join(tmpdir(), "flowdeck-editor-build-"));
  await buildEditor(outDir);
  project.provide("editorDistDir", outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
