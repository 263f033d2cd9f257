// Calls for "Start from a template" (server/src/workflows/workflow-template-routes.ts), on the session's base URL
// and access token. Its own module, like runs-api.ts, so flowdeck-api.ts stays auth, workflows and team.
import { ApiError, CLIENT_ERRORS } from "./api-error";
import type { FlowdeckApi } from "./flowdeck-api";

export interface WorkflowTemplate {
  /** The workflow name it creates, and its id in the API. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly nodeCount: number;
  /** Templates it calls as subflows, which a use creates too when the workspace has none of that name. */
  readonly subflows: readonly string[];
  /** The workspace's live workflow of this name, when it has one (a use would be refused: FD333). */
  readonly existingWorkflowId: string | null;
  /** What a use would create now: itself and the subflows the workspace lacks (0 when it has the template). */
  readonly workflowsToCreate: number;
}

export interface TemplateList {
  readonly items: readonly WorkflowTemplate[];
  readonly plan: string;
  /** Workflows the plan still allows; null without a limit. */
  readonly workflowsLeft: number | null;
}

export interface TemplateUse {
  /** The created drafts, the template's own first. */
  readonly items: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** Subflows it calls that the workspace already had, kept as they are. */
  readonly reused: readonly string[];
}

type Source = Pick<FlowdeckApi, "baseUrl" | "accessToken">;

export type TemplatesApi = ReturnType<typeof createTemplatesApi>;

export function createTemplatesApi(source: Source) {
  async function call<T>(method: "GET" | "POST", path: string): Promise<T> {
    const token = await source.accessToken();
    let response: Response;
    try {
      response = await fetch(`${source.baseUrl}${path}`, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    } catch {
      throw new ApiError(0, { code: "FD600", ...CLIENT_ERRORS.FD600 });
    }
    const json = (await response.json().catch(() => undefined)) as
      | { error?: { code: string; message: string; hint?: string; details?: Record<string, unknown> } }
      | undefined;
    if (json === undefined) throw new ApiError(response.status, { code: "FD601", ...CLIENT_ERRORS.FD601 });
    if (!response.ok) {
      throw new ApiError(
        response.status,
        json.error ?? { code: "FD601", message: `HTTP ${response.status}` },
      );
    }
    return json as T;
  }

  return {
    listTemplates: () => call<TemplateList>("GET", "/workflow-templates"),
    applyTemplate: (name: string) =>
      call<TemplateUse>("POST", `/workflow-templates/${encodeURIComponent(name)}/use`),
  };
}
