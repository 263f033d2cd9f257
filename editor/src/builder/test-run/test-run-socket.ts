// The staff chat socket of a test run: `/ws/chat?token=…&workflow=…&draft=1` (server/src/chat/chat-frames.ts).

/** The frames the server sends (a subset of the server's ServerFrame, typed loosely: the editor never imports it). */
export type ChatFrame =
  | { type: "ready"; conversationId?: string; staff: boolean }
  | { type: "typing"; conversationId: string; on: boolean }
  | { type: "token"; conversationId: string; runId: string; stepId: string; text: string }
  | {
      type: "step";
      conversationId: string;
      runId: string;
      event: string;
      data: Record<string, unknown>;
      at: string;
    }
  | {
      type: "reply";
      conversationId: string;
      id: string;
      author: string;
      text: string;
      at: string;
      /** Answers offered as buttons (an ask's choices, a reply's quick replies). */
      choices?: readonly string[];
    }
  | { type: "handoff"; conversationId: string; runId: string; reason: string; at: string }
  | { type: "error"; code: string; message: string; conversationId?: string };

export interface TestRunSocketOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly workflowId: string;
  onFrame(frame: ChatFrame): void;
  onClose(): void;
}

/** The socket's address next to the API: `/api` in development, the page's origin in production. */
export function chatSocketUrl(baseUrl: string, token: string, workflowId: string): string {
  const base = new URL(baseUrl || "/", window.location.href);
  base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  base.pathname = `${base.pathname.replace(/\/$/, "")}/ws/chat`;
  base.search = new URLSearchParams({ token, workflow: workflowId, draft: "1" }).toString();
  return base.toString();
}

export interface TestRunSocket {
  /** Sends once the socket is open; frames sent before that wait. */
  send(frame: { type: "open" } | { type: "message"; text: string; conversationId?: string }): void;
  close(): void;
}

export function openTestRunSocket(options: TestRunSocketOptions): TestRunSocket {
  const socket = new WebSocket(chatSocketUrl(options.baseUrl, options.token, options.workflowId));
  const queued: string[] = [];
  socket.addEventListener("open", () => {
    for (const text of queued.splice(0)) socket.send(text);
  });
  socket.addEventListener("message", (event) => {
    try {
      options.onFrame(JSON.parse(String(event.data)) as ChatFrame);
    } catch {
      // A frame that is not JSON is not ours to show.
    }
  });
  socket.addEventListener("close", () => options.onClose());
  return {
    send(frame) {
      const text = JSON.stringify(frame);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    },
    close() {
      socket.close();
    },
  };
}
