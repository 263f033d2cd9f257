// The import check: DESIGN.md §1 says imports point one way and a cycle is a bug.
// Run: pnpm exec depcruise --config .dependency-cruiser.cjs schemas node-library runtime server editor storybook bench

const PACKAGES = ["schemas", "node-library", "runtime", "server", "editor", "storybook", "bench"];

// A workspace import shows up as a resolved path ("schemas/src/index.ts", pnpm symlinks are followed) or, when
// the importer has not declared the package, as the bare unresolved name ("@flowdeck/schemas"). Match both.
function packagePath(names) {
  const group = names.join("|");
  return `^(?:(?:${group})/|@flowdeck/(?:${group})(?:/|$))`;
}
function allBut(allowed) {
  return packagePath(PACKAGES.filter((name) => !allowed.includes(name)));
}
function onlyImports(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: `^${from}/` },
    to: { path: allBut([from, ...allowed]) },
  };
}

const NODE_DEFINITIONS = "^node-library/src/";
const EDITOR_BROWSER_HARNESS = "^editor/test/browser/support/";
const NODE_EXECUTORS = "^node-library/src/runtime/";
const NODE_RUNTIME_ENTRY = "^(?:node-library/src/runtime/|@flowdeck/node-library/runtime(?:/|$))";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "An import cycle is a bug (DESIGN.md §1). Type-only imports count too: they still tangle packages.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import that does not resolve fails at run time. For @flowdeck/* it usually means the package is " +
        "missing from the importer's package.json dependencies.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    onlyImports(
      "schemas-imports-no-package",
      "schemas",
      [],
      "The workflow language runs in the browser and in Node; it depends on no package.",
    ),
    onlyImports(
      "node-library-imports-only-schemas",
      "node-library",
      ["schemas"],
      "Node definitions build on the language only.",
    ),
    {
      name: "node-definitions-no-node-builtins",
      comment: 'The "@flowdeck/node-library" entry ships to the editor: Node built-ins only in src/runtime/.',
      severity: "error",
      from: { path: NODE_DEFINITIONS, pathNot: NODE_EXECUTORS },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "node-definitions-no-react",
      comment: "Definitions are data plus schemas; the editor renders them, they never render themselves.",
      severity: "error",
      from: { path: NODE_DEFINITIONS, pathNot: NODE_EXECUTORS },
      to: { path: "(?:^|node_modules/)(?:react|react-dom)(?:/|$)" },
    },
    {
      name: "node-definitions-no-executors",
      comment:
        "A value import of an executor would drag Node-only code into the browser bundle; type imports are erased.",
      severity: "error",
      from: { path: NODE_DEFINITIONS, pathNot: NODE_EXECUTORS },
      to: { path: NODE_EXECUTORS, dependencyTypesNot: ["type-only"] },
    },
    onlyImports(
      "runtime-not-to-server-or-ui",
      "runtime",
      ["schemas", "node-library"],
      "The engine sits below the server and never sees the UI.",
    ),
    onlyImports(
      "server-not-to-ui",
      "server",
      ["schemas", "node-library", "runtime"],
      "The server serves the built editor as files; it never imports editor code.",
    ),
    {
      name: "server-features-not-to-app",
      comment:
        "server/src/app is the composition root: it imports every feature folder, so a feature that imported it " +
        "would make imports run both ways. Features use the kit (server/src/kit) and config (server/src/config).",
      severity: "error",
      from: { path: "^server/src/", pathNot: "^server/src/(?:app/|cli/|index\\.ts$)" },
      to: { path: "^server/src/app/" },
    },
    {
      name: "server-kit-is-a-leaf",
      comment:
        "The HTTP kit and the configuration sit under every feature folder; they import no feature (the logger " +
        "reads the active trace id, a leaf of telemetry).",
      severity: "error",
      from: { path: "^server/src/(?:kit|config)/" },
      to: { path: "^server/src/", pathNot: "^server/src/(?:kit/|config/|telemetry/trace-fields\\.ts$)" },
    },
    {
      ...onlyImports(
        "editor-imports-only-definitions",
        "editor",
        ["schemas", "node-library"],
        "The editor uses definitions only; no runtime or server code. Exception: the browser-test harness " +
          "(editor/test/browser/support/) is Node code that starts a real server and database, like bench/.",
      ),
      from: { path: "^editor/", pathNot: EDITOR_BROWSER_HARNESS },
    },
    {
      name: "editor-no-node-executors",
      comment:
        'The editor may use "@flowdeck/node-library" definitions, never its Node-only "/runtime" entry.',
      severity: "error",
      from: { path: "^editor/", pathNot: EDITOR_BROWSER_HARNESS },
      to: { path: NODE_RUNTIME_ENTRY },
    },
    {
      name: "storybook-imports-only-editor",
      comment: "Stories show editor components; schemas and node-library reach storybook through the editor.",
      severity: "error",
      // The chat widget is a static browser script the server serves (server/widget/widget.js), not server
      // code: its story runs that very file. The browser test reuses the editor's Chromium launcher.
      from: { path: "^storybook/" },
      to: {
        path: allBut(["storybook", "editor", "schemas", "node-library"]),
        pathNot: "^server/widget/widget\\.js",
      },
    },
    {
      name: "storybook-no-node-executors",
      comment: "Storybook runs in the browser, like the editor.",
      severity: "error",
      from: { path: "^storybook/" },
      to: { path: NODE_RUNTIME_ENTRY },
    },
    // bench/ may import anything: it measures the other packages.
  ],
  options: {
    // Record edges into node_modules (so react / built-in rules can see them) but never cruise inside.
    doNotFollow: { path: "(?:^|/)node_modules/" },
    exclude: { path: "(?:^|/)(?:dist|coverage|\\.flowdeck|storybook-static)/|^storybook/generated/" },
    // Type-only imports are real edges for the direction rules (a definition must not type-import the runtime).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Each package is checked against its own package.json, so an undeclared @flowdeck/* import stays unresolved
    // and trips not-to-unresolvable instead of silently resolving through a parent folder.
    combinedDependencies: false,
    enhancedResolveOptions: {
      // Workspace packages are source-first: "exports" points at ./src/index.ts, so @flowdeck/schemas
      // resolves to schemas/src/index.ts through the pnpm symlink.
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
