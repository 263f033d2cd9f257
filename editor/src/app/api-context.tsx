// The API client for the component tree (DESIGN.md §7 store pattern: context + a hook that fails loudly
// outside its provider), and the session as React state.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { FlowdeckApi, Session } from "../api";

const ApiContext = createContext<FlowdeckApi | null>(null);

export function ApiProvider({ api, children }: { api: FlowdeckApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): FlowdeckApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error("FD602 useApi() outside <ApiProvider>. Hint: render the app inside <App />.");
  return api;
}

/** The current session; re-renders on sign in, sign out, refresh and tenant switch. */
export function useSession(): Session | undefined {
  const api = useApi();
  return useSyncExternalStore(api.subscribe, () => api.session);
}
