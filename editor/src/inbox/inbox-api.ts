// The handoff inbox's calls (server/src/inbox/inbox-routes.ts), with plain fetch and the staff access token.
// Kept apart from the editor's API client so the screen can be embedded on its own (the browser test does).

export interface WaitingConversation {
  readonly runId: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly workflowName: string;
  readonly reason: string;
  readonly queue: string;
  readonly priority: string;
  readonly since: string;
  readonly unread: number;
}

export interface TranscriptTurn {
  readonly role: "customer" | "assistant" | "agent";
  readonly text: string;
  readonly at?: string;
}

export interface InboxConversation {
  readonly runId: string;
  readonly conversationId: string;
  readonly status: string;
  readonly channel: string;
  readonly workflowName: string;
  readonly transcript: readonly TranscriptTurn[];
  readonly handoffMessages: readonly { id: string; author: "customer" | "agent"; text: string; at: string }[];
  readonly steps: readonly {
    stepId: string;
    nodeName: string;
    nodeType: string;
    status: string;
    error?: { code: string; message: string };
  }[];
}

/** Where the API is and how to get a current access token (the editor refreshes it; a test passes a fixed one). */
export interface InboxApiOptions {
  readonly baseUrl: string;
  readonly accessToken: () => string | Promise<string>;
}

export class InboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createInboxApi({ baseUrl, accessToken }: InboxApiOptions) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await accessToken()}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!response.ok)
      throw new InboxApiError(
        response.status,
        json.error?.code ?? "FD600",
        json.error?.message ?? `The server answered ${response.status}.`,
      );
    return json as T;
  }
  return {
    list: () => call<{ items: WaitingConversation[] }>("GET", "/inbox/conversations").then((r) => r.items),
    get: (runId: string) => call<InboxConversation>("GET", `/inbox/runs/${encodeURIComponent(runId)}`),
    reply: (runId: string, text: string) =>
      call<{ id: string }>("POST", `/inbox/runs/${encodeURIComponent(runId)}/reply`, { text }),
    handback: (runId: string, resolved: boolean, text?: string) =>
      call<{ handedBack: boolean; status: string }>(
        "POST",
        `/inbox/runs/${encodeURIComponent(runId)}/handback`,
        {
          resolved,
          ...(text ? { text } : {}),
        },
      ),
  };
}

export type InboxApi = ReturnType<typeof createInboxApi>;
