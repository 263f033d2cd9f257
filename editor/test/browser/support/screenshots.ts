// Screenshots of the main screens, for people to look at (gitignored; CI keeps them as artifacts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { EDITOR_ROOT } from "./editor-build";

export const SCREENSHOT_DIR = join(EDITOR_ROOT, "test", "browser", "screenshots");

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
