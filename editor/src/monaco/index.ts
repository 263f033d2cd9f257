export { LazyMonacoEditor } from "./lazy-monaco-editor";
export type { LazyMonacoEditorProps } from "./lazy-monaco-editor";
export { loadMonaco, setWorkflowSchema, workflowModelUri, WORKFLOW_MODEL_GLOB } from "./load-monaco";
export type { LoadMonacoOptions, MonacoApi } from "./load-monaco";
