import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import { BuilderError } from "./builder-error";
import type { BuilderStores } from "./builder-stores";
import type { DocumentState } from "./document-store";
import type { SessionState } from "./session-store";

const BuilderContext = createContext<BuilderStores | null>(null);

export function BuilderProvider({ stores, children }: { stores: BuilderStores; children: ReactNode }) {
  return <BuilderContext.Provider value={stores}>{children}</BuilderContext.Provider>;
}

/** Both stores, for event handlers that read the latest state without subscribing to it. */
export function useBuilderStores(): BuilderStores {
  const stores = useContext(BuilderContext);
  if (stores === null) {
    throw new BuilderError("FD410", "a builder hook was used outside <WorkflowBuilder> / <BuilderProvider>");
  }
  return stores;
}

/** Subscribes to the workflow document (the YAML and what is derived from it). */
export function useDocument<T>(selector: (state: DocumentState) => T): T {
  return useStore(useBuilderStores().document, selector);
}

/** Subscribes to the session (selection, view mode, canvas arrays). */
export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(useBuilderStores().session, selector);
}
