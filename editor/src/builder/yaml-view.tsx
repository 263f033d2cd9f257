import { composeWorkflowSchema, type Problem } from "@flowdeck/schemas";
import { useEffect, useRef } from "react";
import type { editor as MonacoEditorNs } from "monaco-editor";
import { LazyMonacoEditor, loadMonaco, setWorkflowSchema, workflowModelUri, type MonacoApi } from "../monaco";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";

/** Owner of Flowdeck's own markers; monaco-yaml's schema markers have their own owner and stay. */
const MARKER_OWNER = "flowdeck";
/** Above this size the text goes to the store after a short pause in typing, not on every key. */
const LARGE_TEXT_CHARS = 50_000;
const LARGE_TEXT_DEBOUNCE_MS = 150;

/**
 * The YAML view: Monaco with monaco-yaml on the generated schema, plus the validator's problems as markers.
 * Loaded with React.lazy (this module is a chunk of its own), so Monaco downloads when the view first opens.
 * Typing goes to the document store; text changed elsewhere (canvas, undo) is applied as a minimal edit so the
 * cursor and scroll position stay. Ctrl+Z / Ctrl+Y use the builder's history, which spans both views.
 */
export default function YamlView({ workflowId }: { workflowId: string }) {
  const { document } = useBuilderStores();
  const text = useDocument((s) => s.text);
  const problems = useDocument((s) => s.problems);
  const readOnly = useSession((s) => s.readOnly);
  const reveal = useSession((s) => s.reveal);
  const editorRef = useRef<MonacoEditorNs.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<MonacoApi | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    void loadMonaco().then(() =>
      setWorkflowSchema(composeWorkflowSchema(builtinBuilderRegistry().catalog) as never),
    );
  }, []);

  // Text from elsewhere: patch the model with the smallest replacement instead of resetting it.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || model.getValue() === text) return;
    applyMinimalEdit(model, text);
  }, [text]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && monacoRef.current) setMarkers(monacoRef.current, model, problems);
  }, [problems]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: reveal.column });
    editor.focus();
  }, [reveal]);

  useEffect(() => () => clearTimeout(typingTimer.current), []);

  return (
    <div className="fdb-yaml" data-testid="yaml-view">
      <LazyMonacoEditor
        path={workflowModelUri(workflowId)}
        defaultLanguage="yaml"
        defaultValue={text}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          insertSpaces: true,
          scrollBeyondLastLine: false,
          // "dimmed" (the default) greys the last line's number below WCAG contrast.
          renderFinalNewline: "on",
          automaticLayout: true,
          ariaLabel: "Workflow YAML",
          quickSuggestions: { other: true, comments: false, strings: true },
        }}
        onMount={(editor, monaco) => {
          editorRef.current = editor;
          monacoRef.current = monaco as unknown as MonacoApi;
          const model = editor.getModel();
          if (model) {
            if (model.getValue() !== document.getState().text) model.setValue(document.getState().text);
            setMarkers(monacoRef.current, model, document.getState().problems);
          }
          // One history for both views: Monaco's own undo would not know about canvas edits.
          editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ, () => document.getState().undo());
          editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, () =>
            document.getState().redo(),
          );
          editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY, () => document.getState().redo());
        }}
        onChange={(value) => {
          if (value === undefined) return;
          const push = () => document.getState().setText(value, { origin: "yaml", coalesceKey: "yaml" });
          clearTimeout(typingTimer.current);
          if (value.length > LARGE_TEXT_CHARS) typingTimer.current = setTimeout(push, LARGE_TEXT_DEBOUNCE_MS);
          else push();
        }}
      />
    </div>
  );
}

function applyMinimalEdit(model: MonacoEditorNs.ITextModel, next: string) {
  const current = model.getValue();
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start += 1;
  let end = 0;
  while (
    end < current.length - start &&
    end < next.length - start &&
    current[current.length - 1 - end] === next[next.length - 1 - end]
  ) {
    end += 1;
  }
  const from = model.getPositionAt(start);
  const to = model.getPositionAt(current.length - end);
  model.pushEditOperations(
    [],
    [
      {
        range: {
          startLineNumber: from.lineNumber,
          startColumn: from.column,
          endLineNumber: to.lineNumber,
          endColumn: to.column,
        },
        text: next.slice(start, next.length - end),
      },
    ],
    () => null,
  );
}

function setMarkers(monaco: MonacoApi, model: MonacoEditorNs.ITextModel, problems: readonly Problem[]) {
  monaco.editor.setModelMarkers(
    model,
    MARKER_OWNER,
    problems.map((p) => {
      const line = Math.min(Math.max(1, p.line), model.getLineCount());
      const column = Math.max(1, p.column);
      // Underline to the end of the word (or line) the problem points at.
      const word = model.getWordAtPosition({ lineNumber: line, column });
      const endColumn = word && word.endColumn > column ? word.endColumn : model.getLineMaxColumn(line);
      return {
        severity: p.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: `${p.message}\n${p.hint}`,
        code: p.code,
        source: "flowdeck",
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: Math.max(endColumn, column + 1),
      };
    }),
  );
}
