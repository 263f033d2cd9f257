// Builds the Storybook once for the browser test (storybook build runs in CI this way, offline). Set
// FLOWDECK_SKIP_STORYBOOK_BUILD=1 to reuse storybook/storybook-static from an earlier build. Runs the same two
// steps as `pnpm run build`, through this Node binary, so it needs no pnpm on the PATH.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const STORYBOOK_DIR = fileURLToPath(new URL("..", import.meta.url));
const STORYBOOK_CLI = fileURLToPath(
  new URL("../node_modules/storybook/dist/bin/dispatcher.js", import.meta.url),
);

function run(args: readonly string[], what: string): void {
  const result = spawnSync(process.execPath, args, {
    cwd: STORYBOOK_DIR,
    stdio: "inherit",
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: "1" },
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`FD692 ${what} failed (exit ${String(result.status)}).`);
}

export default function setup(): void {
  const built = existsSync(fileURLToPath(new URL("../storybook-static/index.json", import.meta.url)));
  if (process.env.FLOWDECK_SKIP_STORYBOOK_BUILD === "1" && built) return;
  run(["--import", "tsx", "scripts/generate-node-stories.ts"], "generating the node-type stories");
  run([STORYBOOK_CLI, "build", "-c", "config", "-o", "storybook-static", "--quiet"], "storybook build");
}
