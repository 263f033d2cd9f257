import { createDocumentStore, type DocumentStore, type DocumentStoreOptions } from "./document-store";
import { createSessionStore, type SessionStore, type ViewMode } from "./session-store";

/** The two stores of one builder screen, wired so that the canvas follows every document change. */
export interface BuilderStores {
  readonly document: DocumentStore;
  readonly session: SessionStore;
  /** Stops the wiring; call when the screen unmounts. */
  dispose(): void;
}

export interface BuilderStoresOptions extends DocumentStoreOptions {
  readonly readOnly?: boolean;
  readonly viewMode?: ViewMode;
}

export function createBuilderStores(options: BuilderStoresOptions): BuilderStores {
  const document = createDocumentStore(options);
  const session = createSessionStore({
    graph: document.getState().graph,
    readOnly: options.readOnly,
    viewMode: options.viewMode,
  });
  const unsubscribe = document.subscribe((state, previous) => {
    if (state.graph !== previous.graph) session.getState().syncGraph(state.graph);
  });
  return { document, session, dispose: unsubscribe };
}
