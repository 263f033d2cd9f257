import type { FlowdeckApi } from "../api";
import { DraftConflictError, describeError, isApiError } from "../api";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { DocumentStore } from "./document-store";
import { sendKeepaliveSave } from "./keepalive-save";
import type { SaveStatus } from "./save-status";
import { unsavedKind } from "./unsaved-text";

/** What the builder needs from the API client; a fake in tests. */
export type DraftApi = Pick<FlowdeckApi, "getWorkflow" | "saveDraft"> &
  Partial<Pick<FlowdeckApi, "baseUrl" | "accessToken">>;

export type { SaveStatus };

export interface SaveConflict {
  /** The draft someone else saved; nothing typed here was thrown away for it. */
  readonly serverYaml: string;
  readonly serverEtag: string;
}

export interface SaveState {
  readonly status: SaveStatus;
  readonly etag: string;
  /** The text the server has (as far as we know). */
  readonly savedText: string;
  readonly conflict: SaveConflict | undefined;
  readonly error: string | undefined;
}

export interface AutosaveOptions {
  readonly api: DraftApi;
  readonly workflowId: string;
  readonly etag: string;
  readonly document: DocumentStore;
  /** Quiet time after the last change before saving. */
  readonly debounceMs?: number;
  /** Wait before trying again after a failed save (network, server error). */
  readonly retryMs?: number;
}

export interface Autosave {
  readonly store: StoreApi<SaveState>;
  /** Saves now (Ctrl+S) instead of waiting for the quiet time. */
  flush(): Promise<void>;
  /** Resolves a conflict by saving this text over the other save. */
  keepMine(): Promise<void>;
  /** Resolves a conflict by taking the other save; the text typed here stays one undo step away. */
  loadTheirs(): void;
  dispose(): void;
}

export const DEFAULT_SAVE_DEBOUNCE_MS = 800;
export const DEFAULT_SAVE_RETRY_MS = 5000;

/**
 * Saves the draft shortly after each change, with optimistic concurrency: every save names the ETag it was
 * based on. A 409 stops autosave and keeps both texts (ours in the editor, theirs in the conflict) until the
 * user chooses. YAML that does not parse is not sent (the server would refuse it); it is saved once it does.
 */
export function createAutosave(options: AutosaveOptions): Autosave {
  const { api, workflowId, document } = options;
  const debounceMs = options.debounceMs ?? DEFAULT_SAVE_DEBOUNCE_MS;
  const retryMs = options.retryMs ?? DEFAULT_SAVE_RETRY_MS;
  const store = createStore<SaveState>()(() => ({
    status: "saved",
    etag: options.etag,
    savedText: document.getState().text,
    conflict: undefined,
    error: undefined,
  }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let disposed = false;
  // Remembered on every change, so the save on leaving can start without awaiting anything (keepalive-save.ts).
  let token: string | undefined;
  const rememberToken = () =>
    void api
      .accessToken?.()
      .then((t) => (token = t))
      .catch(() => undefined);
  rememberToken();

  const schedule = (delayMs: number) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void save();
    }, delayMs);
  };

  async function save(etagOverride?: string): Promise<void> {
    if (disposed) return;
    if (inFlight) {
      await inFlight;
      return save(etagOverride);
    }
    const state = store.getState();
    if (state.status === "conflict" && etagOverride === undefined) return;
    const doc = document.getState();
    if (doc.text === state.savedText && etagOverride === undefined) {
      store.setState({ status: "saved" });
      return;
    }
    if (!doc.parses) {
      store.setState({ status: "waiting-for-yaml" });
      return;
    }
    const text = doc.text;
    store.setState({ status: "saving", error: undefined });
    inFlight = (async () => {
      try {
        const saved = await api.saveDraft(workflowId, text, etagOverride ?? state.etag);
        store.setState({ etag: saved.etag, savedText: text, conflict: undefined, status: "saved" });
        document.getState().applyServerProblems(text, saved.problems);
      } catch (error) {
        if (error instanceof DraftConflictError) {
          const current = await api.getWorkflow(workflowId).catch(() => undefined);
          store.setState({
            status: "conflict",
            conflict: {
              serverYaml: current?.yaml ?? "",
              serverEtag: current?.etag ?? error.currentEtag ?? "*",
            },
          });
        } else if (isApiError(error, "FD335")) {
          // The server needs a snake_case `name:`; saving resumes with the next change that has one.
          store.setState({ status: "waiting-for-yaml", error: describeError(error) });
        } else {
          store.setState({ status: "error", error: describeError(error) });
          schedule(retryMs);
        }
      }
    })();
    await inFlight;
    inFlight = undefined;
    // Typing went on while the request was out: save the newer text too.
    if (
      !disposed &&
      store.getState().status === "saved" &&
      document.getState().text !== store.getState().savedText
    ) {
      store.setState({ status: "pending" });
      schedule(debounceMs);
    }
  }

  const unsubscribe = document.subscribe((doc, previous) => {
    if (doc.text === previous.text) return;
    const status = store.getState().status;
    if (status === "conflict") return;
    if (doc.text === store.getState().savedText) {
      if (status === "pending" || status === "waiting-for-yaml") store.setState({ status: "saved" });
      return;
    }
    if (status !== "saving") store.setState({ status: doc.parses ? "pending" : "waiting-for-yaml" });
    rememberToken();
    schedule(debounceMs);
  });

  /**
   * The page is going away (pagehide) or hidden (visibilitychange): an edit made less than the debounce before
   * a reload or a tab close is sent now, with keepalive, instead of being lost with the page.
   */
  function saveOnLeave(): void {
    const state = store.getState();
    const doc = document.getState();
    if (disposed || state.status === "conflict" || !doc.parses || doc.text === state.savedText) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const sent =
      api.baseUrl === undefined
        ? undefined
        : sendKeepaliveSave({
            url: `${api.baseUrl}/workflows/${encodeURIComponent(workflowId)}/draft`,
            yaml: doc.text,
            etag: state.etag,
            token,
          });
    if (!sent) {
      void save();
      return;
    }
    const text = doc.text;
    store.setState({ status: "saving" });
    void sent.then((etag) => {
      // Still here (the tab was only hidden): carry on from the saved text, or retry the normal way.
      if (etag) store.setState({ etag, savedText: text, status: "saved" });
      if (!disposed && document.getState().text !== store.getState().savedText) schedule(0);
    });
  }
  const onVisibility = () => {
    if (window.document.visibilityState === "hidden") saveOnLeave();
  };
  // While the text on screen is not saved the browser asks before leaving: a pending save is sent at once
  // (keepalive) but may not make it, and YAML that does not parse or a refused save would be lost outright.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!unsavedKind(store.getState(), document.getState())) return;
    saveOnLeave();
    event.preventDefault();
  };
  const hasWindow = typeof window !== "undefined" && typeof window.addEventListener === "function";
  if (hasWindow) {
    window.addEventListener("pagehide", saveOnLeave);
    window.addEventListener("beforeunload", onBeforeUnload);
    window.document.addEventListener("visibilitychange", onVisibility);
  }

  return {
    store,
    async flush() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await save();
    },
    async keepMine() {
      const conflict = store.getState().conflict;
      if (!conflict) return;
      await save(conflict.serverEtag);
    },
    loadTheirs() {
      const conflict = store.getState().conflict;
      if (!conflict) return;
      store.setState({
        status: "saved",
        etag: conflict.serverEtag,
        savedText: conflict.serverYaml,
        conflict: undefined,
      });
      document.getState().setText(conflict.serverYaml, { origin: "server" });
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
      if (hasWindow) {
        window.removeEventListener("pagehide", saveOnLeave);
        window.removeEventListener("beforeunload", onBeforeUnload);
        window.document.removeEventListener("visibilitychange", onVisibility);
      }
    },
  };
}
