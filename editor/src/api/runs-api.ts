// Calls for the runs screens (history, one run, cancel, replay), on the session's base URL and access token. Its
// own module, like workspace-api.ts, so flowdeck-api.ts stays auth, workflows and team.
import { ApiError, CLIENT_ERRORS } from "./api-error";
import type { FlowdeckApi } from "./flowdeck-api";
import type { ReplayResult, RunCursor, RunDetail, RunFilter, RunPage, RunSummary } from "./runs-types";

type Source = Pick<FlowdeckApi, "baseUrl" | "accessToken">;

export type RunsApi = ReturnType<typeof createRunsApi>;

export function createRunsApi(source: Source) {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const token = await source.accessToken();
    let response: Response;
    try {
      response = await fetch(`${source.baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, { code: "FD600", ...CLIENT_ERRORS.FD600 });
    }
    const json = (await response.json().catch(() => undefined)) as
      { error?: { code: string; message: string; hint?: string } } | undefined;
    if (json === undefined) throw new ApiError(response.status, { code: "FD601", ...CLIENT_ERRORS.FD601 });
    if (!response.ok) {
      throw new ApiError(
        response.status,
        json.error ?? { code: "FD601", message: `HTTP ${response.status}` },
      );
    }
    return json as T;
  }

  const runPath = (id: string) => `/runs/${encodeURIComponent(id)}`;

  return {
    /** One page of the history, newest first; `after` continues from the previous page's `next`. */
    async listRuns(filter: RunFilter, after?: RunCursor, limit = 25): Promise<RunPage> {
      const query = new URLSearchParams({ limit: String(limit), mode: "live" });
      for (const [key, value] of Object.entries(filter)) {
        if (value !== undefined && value !== "") query.set(key, String(value));
      }
      if (after) {
        query.set("before", after.before);
        query.set("beforeId", after.beforeId);
      }
      const page = await call<{ items: RunSummary[]; next: string | null; nextId: string | null }>(
        "GET",
        `/runs?${query.toString()}`,
      );
      return {
        items: page.items,
        next: page.next && page.nextId ? { before: page.next, beforeId: page.nextId } : undefined,
      };
    },
    getRun: (id: string) => call<RunDetail>("GET", runPath(id)),
    /** Editors and above; an ended run is answered as it is. */
    cancelRun: (id: string) => call<RunSummary>("POST", `${runPath(id)}/cancel`),
    /** The run's inputs again against the latest published version, or the draft; waits for the replay. */
    replayRun: (id: string, target: { draft?: boolean }) =>
      call<ReplayResult>("POST", `${runPath(id)}/replay`, target.draft ? { draft: true } : {}),
  };
}
