// Builds the Storybook once for the browser test (storybook build runs in CI this way, offline). Set
// FLOWDECK_SKIP_STORYBOOK_BUILD=1 to reuse storybook/storybook-static from an earlier build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const STORYBOOK_DIR = fileURLToPath(new URL("..", import.meta.url));

export default function setup(): void {
  const built = existsSync(fileURLToPath(new URL("../storybook-static/index.json", import.meta.url)));
  if (process.env.FLOWDECK_SKIP_STORYBOOK_BUILD === "1" && built) return;
  const result = spawnSync("pnpm", ["run", "build"], {
    cwd: STORYBOOK_DIR,
    stdio: "inherit",
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: "1" },
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`FD692 storybook build failed (exit ${String(result.status)}).`);
}
