// Vitest globalSetup of the editor-browser project: one production build of the editor for every test file.
// FLOWDECK_SKIP_EDITOR_BUILD=1 reuses editor/dist as it is (quick reruns while writing tests).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromiumAvailability } from "./chromium";
import { buildEditor, EDITOR_DIST_DIR } from "./editor-build";

export default async function setup(): Promise<void> {
  const chromium = chromiumAvailability();
  if (!chromium.available) {
    console.warn(chromium.reason);
    return;
  }
  if (process.env.FLOWDECK_SKIP_EDITOR_BUILD === "1" && existsSync(join(EDITOR_DIST_DIR, "index.html")))
    return;
  await buildEditor();
}
