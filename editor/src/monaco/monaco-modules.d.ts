// Monaco ships one .d.ts for its whole API (editor.api.d.ts). We import the smaller "core" entry (every editor
// feature, no extra language services) plus the YAML tokenizer, so the lazy chunk stays small; both expose that
// same API, so they borrow its types.
declare module "monaco-editor/esm/vs/editor/edcore.main.js" {
  export * from "monaco-editor";
}
declare module "monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js";
declare module "monaco-yaml/yaml.worker.js";
