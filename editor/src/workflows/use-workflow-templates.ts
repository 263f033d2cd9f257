// The template list for the workflows page, loaded only while something shows it (the empty state or the
// dialog), and tagged with the tenant it came from so a switch never shows another workspace's room or names.
import { useCallback, useEffect, useState } from "react";
import { describeError } from "../api";
import type { TemplateList, TemplatesApi } from "../api/templates-api";

export interface WorkflowTemplatesState {
  readonly list: TemplateList | undefined;
  readonly error: string | undefined;
  reload(): Promise<void>;
}

export function useWorkflowTemplates(
  api: TemplatesApi,
  tenantId: string | undefined,
  shown: boolean,
): WorkflowTemplatesState {
  const [loaded, setLoaded] = useState<{ tenantId: string; list: TemplateList }>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    (isLive: () => boolean = () => true) => {
      if (!tenantId) return Promise.resolve();
      return api.listTemplates().then(
        (list) => {
          if (!isLive()) return;
          setLoaded({ tenantId, list });
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
    if (!shown) return;
    let live = true;
    void load(() => live);
    return () => {
      live = false;
    };
  }, [load, shown]);

  return {
    list: loaded && loaded.tenantId === tenantId ? loaded.list : undefined,
    error,
    reload: useCallback(() => load(), [load]),
  };
}
