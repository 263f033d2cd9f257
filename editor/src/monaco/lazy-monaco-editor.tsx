// The YAML editor component to use everywhere: Monaco downloads on its first render (not on page load), then
// @monaco-editor/react's Editor renders wired to the bundled Monaco. Props are the library's own. Give YAML
// models a `workflowModelUri(id)` path and call `setWorkflowSchema(schema)` for schema completion and hovers.
import { lazy, Suspense, type ComponentProps, type ReactNode } from "react";
import { loadMonaco } from "./load-monaco";

type EditorProps = ComponentProps<typeof import("@monaco-editor/react").Editor>;

export interface LazyMonacoEditorProps extends EditorProps {
  /** Shown while Monaco downloads. */
  readonly fallback?: ReactNode;
}

const MonacoEditor = lazy(async () => {
  // loadMonaco also imports @monaco-editor/react, so this second import resolves from the same chunk.
  const [{ Editor }] = await Promise.all([import("@monaco-editor/react"), loadMonaco()]);
  return { default: Editor };
});

export function LazyMonacoEditor({ fallback, ...props }: LazyMonacoEditorProps) {
  return (
    <Suspense
      fallback={
        fallback ?? (
          <div className="fd-loading" role="status">
            Loading the YAML editor…
          </div>
        )
      }
    >
      <MonacoEditor {...props} />
    </Suspense>
  );
}
