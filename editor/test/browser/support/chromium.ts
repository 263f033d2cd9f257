// Debian's Chromium driven by playwright-core (DESIGN.md §6, §8). Browser tests need it: in CI its absence is a
// failure (.ci/run installs it); on a developer machine without it the tests skip and say why.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Override with FLOWDECK_CHROMIUM for a Chromium elsewhere. */
export const CHROMIUM_PATH = process.env.FLOWDECK_CHROMIUM ?? "/usr/bin/chromium";

/** DESIGN.md §8: headless, no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export type ChromiumAvailability =
  { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * Whether browser tests can run here. Throws in CI (env CI set) when Chromium is missing: a browser suite that
 * silently skips in CI is a suite that never runs.
 */
export function chromiumAvailability(): ChromiumAvailability {
  if (existsSync(CHROMIUM_PATH)) return { available: true };
  const reason =
    `FD690 Chromium not found at ${CHROMIUM_PATH}; browser tests skipped. ` +
    "Hint: apt-get install -y chromium, or set FLOWDECK_CHROMIUM to a Chromium binary.";
  if (process.env.CI)
    throw new Error(reason.replace("browser tests skipped", "browser tests cannot run in CI"));
  return { available: false, reason };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
