// The workflow list as state, with the actions the list page offers. Each action reloads the list afterwards,
// so what the page shows is always what the server has. Actions throw the API's errors as they are (details
// included: an import's problems are listed, not summed up in one line); screens word them.
import { useCallback, useEffect, useState } from "react";
import { describeError, type FlowdeckApi, type WorkflowDraft, type WorkflowSummary } from "../api";
import { downloadYaml } from "./workflow-files";
import { renameYaml, starterYaml } from "./workflow-yaml";

export interface WorkflowListState {
  readonly items: WorkflowSummary[] | undefined;
  readonly error: string | undefined;
  reload(): Promise<void>;
  create(name: string, description: string): Promise<WorkflowDraft>;
  importYaml(yaml: string): Promise<WorkflowDraft>;
  rename(id: string, name: string): Promise<void>;
  exportYaml(id: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export function useWorkflows(api: FlowdeckApi, tenantId: string | undefined): WorkflowListState {
  // Tagged with the tenant it came from: after a tenant switch the old list is never shown, not even briefly.
  const [loaded, setLoaded] = useState<{ tenantId: string; items: WorkflowSummary[] }>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    (isLive: () => boolean = () => true) => {
      if (!tenantId) return Promise.resolve();
      return api.listWorkflows().then(
        (list) => {
          if (!isLive()) return;
          setLoaded({ tenantId, items: [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)) });
          setError(undefined);
        },
        (caught: unknown) => {
          if (isLive()) setError(describeError(caught));
        },
      );
    },
    [api, tenantId],
  );

  useEffect(() => {
    let live = true;
    void load(() => live);
    return () => {
      live = false;
    };
  }, [load]);

  const reload = useCallback(() => load(), [load]);

  const items = loaded && loaded.tenantId === tenantId ? loaded.items : undefined;

  return {
    items,
    error,
    reload,
    async create(name, description) {
      const draft = await api.createWorkflow(starterYaml(name, description));
      await reload();
      return draft;
    },
    async importYaml(yaml) {
      const draft = await api.createWorkflow(yaml);
      await reload();
      return draft;
    },
    async rename(id, name) {
      const draft = await api.getWorkflow(id);
      await api.saveDraft(id, renameYaml(draft.yaml, name), draft.etag);
      await reload();
    },
    async exportYaml(id) {
      const draft = await api.getWorkflow(id);
      downloadYaml(draft.name, draft.yaml);
    },
    async remove(id) {
      await api.deleteWorkflow(id);
      await reload();
    },
  };
}
