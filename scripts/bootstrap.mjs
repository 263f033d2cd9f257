// `npm start` / `npm test` entry point: on a fresh clone with only Node and npm, get the pinned pnpm, install
// when needed, then hand over to `pnpm run <script>`. Plain Node, no dependencies: nothing is installed yet.
// Usage: node scripts/bootstrap.mjs <pnpm-script> [args…]
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.4.2"; // DESIGN.md §8: newer 12.x breaks frozen installs on our machines.
const MIN_NODE = [20, 19];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// Windows needs a shell to run the .cmd shims of pnpm and npx.
const SHELL = process.platform === "win32";

function fail(message) {
  console.error(`flowdeck bootstrap: ${message}`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    fail(`Node ${MIN_NODE.join(".")} or newer is required, this is ${process.version}.`);
  }
}

// Returns [command, leading args, extra env] for running pnpm.
function findPnpm() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8", shell: SHELL });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm", [], {}];
  // npx caches the package after the first run and puts its bin on PATH, so nested `pnpm` calls in our
  // scripts find the same version. Corepack (if it intercepts) needs the integrity check off here.
  return ["npx", ["-y", `pnpm@${PNPM_VERSION}`], { COREPACK_INTEGRITY_KEYS: "0", npm_config_yes: "true" }];
}

function mtimeMs(relativePath) {
  try {
    return statSync(join(ROOT, relativePath)).mtimeMs;
  } catch {
    return undefined;
  }
}

// The server serves editor/dist (server/src/app/editor-static.ts). It is stale when any file the bundle is made
// from (the editor and the two packages it imports) is newer than the last build's index.html.
const EDITOR_INPUTS = [
  "editor/src",
  "editor/index.html",
  "editor/vite.config.ts",
  "editor/package.json",
  "schemas/src",
  "node-library/src",
];

function newestMtimeMs(relativePath) {
  const own = mtimeMs(relativePath) ?? 0;
  let entries;
  try {
    entries = readdirSync(join(ROOT, relativePath), { withFileTypes: true });
  } catch {
    return own; // a file, or missing
  }
  let newest = own;
  for (const entry of entries) newest = Math.max(newest, newestMtimeMs(join(relativePath, entry.name)));
  return newest;
}

function editorBuildNeeded() {
  const builtAt = mtimeMs("editor/dist/index.html");
  if (builtAt === undefined) return true;
  return EDITOR_INPUTS.some((input) => newestMtimeMs(input) > builtAt);
}

function run(pnpm, args) {
  const [command, leading, env] = pnpm;
  return new Promise((resolve) => {
    const child = spawn(command, [...leading, ...args], {
      cwd: ROOT,
      stdio: "inherit",
      shell: SHELL,
      env: { ...process.env, ...env },
    });
    // `timeout` and CI runners signal only our process; pass it on so the test run stops too.
    const forward = (signal) => child.kill(signal);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
    child.on("error", (error) => fail(`could not start ${command}: ${error.message}`));
    child.on("exit", (code, signal) => {
      for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(name, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

async function main() {
  checkNode();
  const [script, ...rest] = process.argv.slice(2);
  if (!script) fail("usage: node scripts/bootstrap.mjs <pnpm-script> [args…]");

  const pnpm = findPnpm();
  const installedAt = mtimeMs("node_modules/.modules.yaml");
  const lockedAt = mtimeMs("pnpm-lock.yaml");
  if (installedAt === undefined || (lockedAt !== undefined && installedAt < lockedAt)) {
    console.log(
      `flowdeck bootstrap: dependencies ${installedAt === undefined ? "missing" : "older than pnpm-lock.yaml"}, ` +
        `running pnpm ${PNPM_VERSION} install --frozen-lockfile`,
    );
    const installCode = await run(pnpm, ["install", "--frozen-lockfile"]);
    if (installCode !== 0) process.exit(installCode);
    // A no-op install leaves .modules.yaml untouched; without this, a touched lockfile reinstalls every run.
    const now = new Date();
    utimesSync(join(ROOT, "node_modules/.modules.yaml"), now, now);
  }
  if (script === "serve" && editorBuildNeeded()) {
    console.log("flowdeck bootstrap: editor/dist missing or older than its sources, building the editor");
    const buildCode = await run(pnpm, ["--filter", "@flowdeck/editor", "run", "build"]);
    if (buildCode !== 0) process.exit(buildCode);
  }
  process.exit(await run(pnpm, ["run", script, ...rest]));
}

await main();
