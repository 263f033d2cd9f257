// Loads Monaco and monaco-yaml once, from our own bundle. Everything here is reached only through a dynamic
// import, so Monaco (~1 MB gzip) stays out of the initial JavaScript: it loads when the YAML view first opens.
// bench/editor-bundle-bench.ts checks that.
import type * as Monaco from "monaco-editor";
import type { JSONSchema } from "monaco-yaml";

export type MonacoApi = typeof Monaco;

export interface LoadMonacoOptions {
  /**
   * JSON Schema for workflow YAML (completion, hover docs, errors). Applied to every model whose URI ends in
   * `.flowdeck.yaml`; see `workflowModelUri`.
   */
  readonly workflowSchema?: JSONSchema;
}

/** Models whose URI matches this glob get the workflow schema. */
export const WORKFLOW_MODEL_GLOB = "**/*.flowdeck.yaml";

/** A model URI that monaco-yaml matches against the workflow schema. */
export function workflowModelUri(workflowId: string): string {
  return `inmemory://flowdeck/${encodeURIComponent(workflowId)}.flowdeck.yaml`;
}

let loading: Promise<MonacoApi> | undefined;

/**
 * Resolves to the Monaco API, configured for @monaco-editor/react and for YAML. Safe to call many times; the
 * first call's schema wins, later ones can change it with `setWorkflowSchema`. This module only has dynamic
 * imports, so importing it statically costs nothing until it is called.
 */
export function loadMonaco(options: LoadMonacoOptions = {}): Promise<MonacoApi> {
  loading ??= load(options);
  return loading;
}

async function load(options: LoadMonacoOptions): Promise<MonacoApi> {
  const [monaco, , editorWorker, yamlWorker, reactLoader, monacoYaml] = await Promise.all([
    import("monaco-editor/esm/vs/editor/edcore.main.js"),
    import("monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js"),
    import("monaco-editor/esm/vs/editor/editor.worker.js?worker"),
    import("./yaml.worker.ts?worker"),
    import("@monaco-editor/react"),
    import("monaco-yaml"),
  ]);
  const EditorWorker = editorWorker.default;
  const YamlWorker = yamlWorker.default;
  // Monaco asks for a worker per language label; only YAML has its own, the rest use the base editor worker.
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string): Worker {
      return label === "yaml" ? new YamlWorker() : new EditorWorker();
    },
  };
  // Without this @monaco-editor/react would fetch Monaco from a CDN.
  reactLoader.loader.config({ monaco });
  yamlHandle = monacoYaml.configureMonacoYaml(monaco, {
    enableSchemaRequest: false,
    validate: true,
    hover: true,
    completion: true,
    schemas: schemaEntries(options.workflowSchema),
  });
  return monaco;
}

let yamlHandle: { update(options: { schemas: ReturnType<typeof schemaEntries> }): Promise<void> } | undefined;

/**
 * Where a `# yaml-language-server: $schema=…` modeline points, as yaml-language-server resolves it for our
 * models. The seeds say `../schemas/workflow.schema.json`; a relative modeline becomes a `file:` URI from the
 * model's path (`inmemory://flowdeck/<id>.flowdeck.yaml` → `/`), so it lands on `file:///schemas/…`. A
 * modeline wins over `fileMatch`, and with schema requests off (nothing is fetched) an unknown URI meant
 * "Unable to load schema … No content" and no hover, completion or squiggles for the whole file. The bundled
 * schema is registered under each of these too, so the modeline finds it.
 */
export const MODELINE_SCHEMA_URIS = [
  "file:///schemas/workflow.schema.json",
  "file:///workflow.schema.json",
  "https://flowdeck.dev/schemas/workflow.schema.json",
] as const;

function schemaEntries(schema: JSONSchema | undefined) {
  if (!schema) return [];
  return [
    { uri: "inmemory://flowdeck/workflow.schema.json", fileMatch: [WORKFLOW_MODEL_GLOB], schema },
    ...MODELINE_SCHEMA_URIS.map((uri) => ({ uri, fileMatch: [] as string[], schema })),
  ];
}

/** Replaces the workflow schema (e.g. after the node registry changed). Call after `loadMonaco`. */
export async function setWorkflowSchema(schema: JSONSchema): Promise<void> {
  await loadMonaco();
  await yamlHandle?.update({ schemas: schemaEntries(schema) });
}
