// The run's stored steps (GET /runs/:id): the socket's step events carry details and usage but not a step's
// output or its priced cost, so the panel reads them once the run settles.

/** What the panel needs from the API client: where the server is and a fresh access token. */
export interface TestRunApi {
  readonly baseUrl: string;
  accessToken(): Promise<string | undefined>;
}

export interface StoredStep {
  readonly stepId: string;
  readonly output?: unknown;
  readonly costUsd?: number;
  readonly savedUsd?: number;
}

export async function fetchRunSteps(api: TestRunApi, runId: string): Promise<readonly StoredStep[]> {
  const token = await api.accessToken();
  const response = await fetch(`${api.baseUrl}/runs/${encodeURIComponent(runId)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) return [];
  const body = (await response.json()) as { steps?: StoredStep[] };
  return body.steps ?? [];
}
