// Flat config. Not type-aware on purpose: lint stays fast, and `tsc -p tsconfig.json` does the type checking.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import vitest from "@vitest/eslint-plugin";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// DESIGN.md §3: nothing user-written may ever reach eval, Function, vm or child_process. Banning the modules
// outright in product code is simpler to audit than reviewing every use.
const FORBIDDEN_MODULES = ["vm", "node:vm", "child_process", "node:child_process"];
const forbiddenModuleMessage = "Product code must not use vm or child_process (DESIGN.md §3).";
const forbiddenModuleRegex = "/^(node:)?(vm|child_process)$/";

export default defineConfig(
  {
    ignores: [
      "**/node_modules/",
      "**/dist/",
      "**/.flowdeck/",
      "**/coverage/",
      "**/*.d.ts",
      // Ajv standalone code written by `pnpm generate:schema`.
      "node-library/generated/",
      // Storybook's build output, and the node-type stories generated before each build.
      "storybook/storybook-static/",
      "storybook/generated/",
      "storybook/test/screenshots/",
      "editor/test/browser/screenshots/",
    ],
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // `_`-prefixed names mark parameters kept for a signature (e.g. execute(ctx, _input, config)).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The editor runs in the browser: browser globals, React's rules of hooks.
    files: ["editor/src/**/*.{ts,tsx}", "storybook/src/**/*.{ts,tsx}", "storybook/config/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    // scripts/ (dev tooling such as bootstrap.mjs) is deliberately not listed: it spawns pnpm. Tests are not
    // product code either: the crash test kills a real child process.
    files: ["schemas/src/**/*.ts", "node-library/src/**/*.ts", "runtime/src/**/*.ts", "server/src/**/*.ts"],
    rules: {
      "no-eval": "error",
      "no-new-func": "error",
      "no-implied-eval": "error",
      "no-restricted-imports": [
        "error",
        { paths: FORBIDDEN_MODULES.map((name) => ({ name, message: forbiddenModuleMessage })) },
      ],
      // no-restricted-imports only sees static imports; these catch import("vm") and require("vm").
      "no-restricted-syntax": [
        "error",
        {
          selector: `ImportExpression > Literal.source[value=${forbiddenModuleRegex}]`,
          message: forbiddenModuleMessage,
        },
        {
          selector: `CallExpression[callee.name='require'] > Literal[value=${forbiddenModuleRegex}]`,
          message: forbiddenModuleMessage,
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts"],
    extends: [vitest.configs.recommended],
    rules: {
      // Every test asserts (DESIGN.md §7); property tests and expect*/assert* helpers count as assertions.
      "vitest/expect-expect": [
        "error",
        { assertFunctionNames: ["expect", "expect*", "fc.assert", "assert*"] },
      ],
      "vitest/valid-expect": "error",
      "vitest/no-identical-title": "error",
      "vitest/no-focused-tests": "error",
      "vitest/no-disabled-tests": "error",
    },
  },
);
