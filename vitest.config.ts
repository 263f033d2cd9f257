import { defineConfig } from "vitest/config";

// One project per Node-side package: output is labelled by package and each can grow its own settings.
// editor/ and storybook/ join with their own browser-side projects in issue 6.
const NODE_PACKAGES = ["schemas", "node-library", "runtime", "server", "bench"];

export default defineConfig({
  test: {
    watch: false,
    // Separate processes: tests use real PostgreSQL/Redis clients and process-wide state (env, timers).
    pool: "forks",
    // Generous because tests talk to real services; tests never assert on wall-clock time (DESIGN.md §6).
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // There are tests (schemas/test), so finding none means a broken include pattern, not an empty repo.
    passWithNoTests: false,
    projects: NODE_PACKAGES.map((name) => ({
      extends: true,
      test: { name, include: [`${name}/test/**/*.test.ts`], environment: "node" },
    })),
  },
});
