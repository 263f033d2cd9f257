// Regression cases over the API: the list is stored with the workflow (/workflows/:id/regression-cases), and a
// case runs as a replay of its run against the draft (POST /runs/:runId/replay { draft: true }), which compares.
import type { TestRunApi } from "./test-run-api";

export interface RegressionCase {
  readonly id: string;
  readonly name: string;
  readonly runId: string;
  readonly createdAt: string;
}

export interface RunOutline {
  readonly runId: string;
  readonly status: string;
  readonly route: readonly string[];
  readonly replies: readonly string[];
}

export interface ReplayComparison {
  readonly original: RunOutline;
  readonly replay: RunOutline;
  readonly sameRoute: boolean;
  readonly sameReplies: boolean;
  readonly routeDivergesAt: number | null;
  readonly settled: boolean;
}

/** FD621: a regression-case call failed; the server's own code and message come with it when it sent one. */
export class RegressionApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(
  api: TestRunApi,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const token = await api.accessToken();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (failure) {
    if (signal?.aborted) throw failure;
    throw new RegressionApiError("FD621", "The server could not be reached.");
  }
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => ({}))) as T & {
    error?: { code?: string; message?: string };
  };
  if (!response.ok) {
    throw new RegressionApiError(
      answer.error?.code ?? "FD621",
      answer.error?.message ?? `HTTP ${response.status}`,
    );
  }
  return answer;
}

const casesPath = (workflowId: string) => `/workflows/${encodeURIComponent(workflowId)}/regression-cases`;

export const listCases = async (api: TestRunApi, workflowId: string) =>
  (await call<{ items: RegressionCase[] }>(api, "GET", casesPath(workflowId))).items;

export const saveCase = (api: TestRunApi, workflowId: string, name: string, runId: string) =>
  call<RegressionCase>(api, "POST", casesPath(workflowId), { name, runId });

export const deleteCase = (api: TestRunApi, workflowId: string, caseId: string) =>
  call<void>(api, "DELETE", `${casesPath(workflowId)}/${encodeURIComponent(caseId)}`);

export const runCase = async (api: TestRunApi, item: RegressionCase, signal: AbortSignal) =>
  (
    await call<{ comparison: ReplayComparison }>(
      api,
      "POST",
      `/runs/${encodeURIComponent(item.runId)}/replay`,
      { draft: true },
      signal,
    )
  ).comparison;
