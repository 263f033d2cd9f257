// Debian's Chromium driven by playwright-core, as the editor's browser tests use it (DESIGN.md §8). Without it the
// tests skip, except in CI, where .ci/run installs it and its absence must fail them rather than pass silently.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Override with FLOWDECK_CHROMIUM for a Chromium elsewhere. */
const CHROMIUM_PATH = process.env.FLOWDECK_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, no sandbox (containers), nothing phoning home. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** For `describe.skipIf`: true where the browser tests cannot run and need not. */
export const withoutChromium = !existsSync(CHROMIUM_PATH) && !process.env.CI;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
