import { useEffect } from "react";
import type { BuilderActions } from "./builder-actions";
import { BuilderError } from "./builder-error";

/** Keys that type into a field or the YAML editor belong to that field, not to the canvas. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return (
    target.closest(
      "input, textarea, select, [contenteditable=''], [contenteditable='true'], .monaco-editor",
    ) !== null
  );
}

/**
 * Canvas shortcuts: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, Ctrl/Cmd+A select all, Ctrl/Cmd+C / V copy
 * and paste (system clipboard, so also between workflows), Ctrl/Cmd+D duplicate, Ctrl/Cmd+S save now, Shift+1
 * zoom to fit, Shift+L auto-layout, Escape clear selection. Delete/Backspace are React Flow's.
 */
export function useBuilderShortcuts(
  actions: BuilderActions,
  options: { saveNow(): void; clearSelection(): void; notify(message: string): void },
) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isEditable(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (mod && key === "z" && !event.shiftKey) actions.undo();
      else if (mod && ((key === "z" && event.shiftKey) || key === "y")) actions.redo();
      else if (mod && key === "a") actions.selectAll();
      else if (mod && key === "s") options.saveNow();
      else if (mod && key === "d") {
        const fragment = actions.copySelection();
        if (fragment) actions.paste(fragment);
      } else if (!mod && event.shiftKey && (event.code === "Digit1" || key === "!")) actions.fitView();
      else if (!mod && event.shiftKey && key === "l") void actions.autoLayout();
      else if (key === "escape") options.clearSelection();
      else handled = false;
      if (handled) event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (isEditable(event.target) || !event.clipboardData) return;
      const fragment = actions.copySelection();
      if (!fragment) return;
      event.clipboardData.setData("text/plain", fragment);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isEditable(event.target) || !event.clipboardData) return;
      const text = event.clipboardData.getData("text/plain");
      if (!text) return;
      event.preventDefault();
      try {
        actions.paste(text);
      } catch (error) {
        if (error instanceof BuilderError) options.notify(`${error.message} ${error.hint}`);
        else throw error;
      }
    };
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("copy", onCopy);
    window.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("copy", onCopy);
      window.removeEventListener("paste", onPaste);
    };
  }, [actions, options]);
}
