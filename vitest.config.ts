import { defineConfig } from "vitest/config";

// One project per Node-side package: output is labelled by package and each can grow its own settings.
// The editor has two: its logic under Node, and browser tests in Chromium.
const NODE_PACKAGES = ["schemas", "node-library", "runtime", "server", "bench"];

export default defineConfig({
  test: {
    watch: false,
    // Separate processes: tests use real PostgreSQL/Redis clients and process-wide state (env, timers).
    pool: "forks",
    // Generous because tests talk to real services; tests never assert on wall-clock time (DESIGN.md §6).
    testTimeout: 20_000,
    // Hooks start servers and migrate fresh databases (PGlite in WASM is the slow one on a busy machine).
    hookTimeout: 60_000,
    // There are tests (schemas/test), so finding none means a broken include pattern, not an empty repo.
    passWithNoTests: false,
    projects: [
      ...NODE_PACKAGES.map((name) => ({
        extends: true as const,
        test: { name, include: [`${name}/test/**/*.test.ts`], environment: "node" },
      })),
      {
        extends: true as const,
        // The editor's logic (stores, YAML patches, API client) without a browser.
        test: {
          name: "editor",
          include: ["editor/test/**/*.test.{ts,tsx}"],
          exclude: ["editor/test/browser/**"],
          environment: "node",
        },
      },
      {
        extends: true as const,
        // Real Chromium against a real server serving the production build (editor/test/browser/support/).
        // One file at a time: each starts a server and a browser, and the machines have few cores.
        test: {
          name: "editor-browser",
          include: ["editor/test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["editor/test/browser/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true as const,
        // The built Storybook (storybook build in globalSetup) opened story by story in Chromium.
        test: {
          name: "storybook",
          include: ["storybook/test/**/*.test.ts"],
          environment: "node",
          globalSetup: ["storybook/test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
