// Text that could not be saved (YAML that does not parse, a refused save) is kept in this tab's sessionStorage,
// per workflow, so a user who left anyway (or reloaded) is offered it back. sessionStorage, not localStorage:
// it ends with the tab and is not left behind for the next person on a shared computer.
import type { StoreApi } from "zustand/vanilla";
import type { SaveState } from "./autosave";
import type { DocumentStore } from "./document-store";
import { leavingLosesText, unsavedKind } from "./unsaved-text";

export interface KeptDraft {
  readonly text: string;
  /** The saved text it was typed over; when the draft on the server differs, someone saved since. */
  readonly base: string;
}

const keyOf = (workflowId: string) => `flowdeck:unsaved-yaml:${workflowId}`;

function defaultStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === "undefined" ? undefined : sessionStorage;
  } catch {
    return undefined; // storage disabled by the browser's settings
  }
}

export function readKeptDraft(workflowId: string, storage = defaultStorage()): KeptDraft | undefined {
  try {
    const raw = storage?.getItem(keyOf(workflowId));
    if (!raw) return undefined;
    const kept = JSON.parse(raw) as Partial<KeptDraft>;
    return typeof kept.text === "string" && typeof kept.base === "string"
      ? { text: kept.text, base: kept.base }
      : undefined;
  } catch {
    return undefined;
  }
}

export function forgetKeptDraft(workflowId: string, storage = defaultStorage()): void {
  try {
    storage?.removeItem(keyOf(workflowId));
  } catch {
    // Nothing kept, nothing to forget.
  }
}

/** Keeps the text while leaving would lose it, and forgets it once the server has the text on screen. */
export function keepUnsavedDrafts(options: {
  readonly workflowId: string;
  readonly document: DocumentStore;
  readonly save: StoreApi<SaveState>;
  readonly storage?: Storage;
}): () => void {
  const { workflowId, document, save } = options;
  const storage = options.storage ?? defaultStorage();
  if (!storage) return () => undefined;
  // null: whatever an earlier visit stored, which goes stale only once newer text is saved in this one.
  let written: string | null | undefined = null;
  const loadedText = save.getState().savedText;
  const update = () => {
    const state = save.getState();
    const doc = document.getState();
    if (leavingLosesText(unsavedKind(state, doc))) {
      if (written === doc.text) return;
      try {
        storage.setItem(keyOf(workflowId), JSON.stringify({ text: doc.text, base: state.savedText }));
        written = doc.text;
      } catch {
        // Over quota: the leave guard still asks, there is just nothing to restore.
      }
    } else if (doc.text === state.savedText && state.status === "saved") {
      if (written === undefined || (written === null && state.savedText === loadedText)) return;
      forgetKeptDraft(workflowId, storage);
      written = undefined;
    }
  };
  const unsubscribeDocument = document.subscribe(update);
  const unsubscribeSave = save.subscribe(update);
  return () => {
    unsubscribeDocument();
    unsubscribeSave();
  };
}
