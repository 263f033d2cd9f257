/**
 * API errors: a stable FD3xx code, an HTTP status and a one-line fix hint (DESIGN.md §7). Every error answer
 * has the same shape, `{ error: { code, message, hint } }`, and never carries a stack trace.
 */
export const API_ERRORS = {
  // Hints are read by people too (the editor shows message and hint): no pointers or `details.*` in them.
  FD300: { status: 400, hint: "Correct the field the message names, then try again." },
  FD301: { status: 400, hint: "Send valid JSON with Content-Type: application/json." },
  FD302: { status: 413, hint: "Send a smaller request body." },
  FD310: { status: 401, hint: "Send a valid access token: Authorization: Bearer <token from /auth/login>." },
  FD311: { status: 401, hint: "Check the email and password." },
  FD312: { status: 401, hint: "Log in again: the refresh token is unknown, expired or revoked." },
  FD313: { status: 403, hint: "Ask a tenant owner or admin for a role that allows this." },
  FD314: {
    status: 429,
    hint: "Wait for the time in Retry-After before trying again, or reset the password.",
  },
  FD315: { status: 409, hint: "Log in with this email instead, or register with another one." },
  // API keys (server/src/api-keys): scopes, people-only routes, revoked or expired keys.
  FD317: {
    status: 403,
    hint: "Create an API key with the scope named in the message (Settings → API keys).",
  },
  FD318: { status: 403, hint: "Sign in as a person for this: keys never manage people, keys or sessions." },
  FD319: { status: 401, hint: "Create a new API key; a revoked or expired key never works again." },
  FD320: {
    status: 404,
    hint: "Check the method and path: routes are case-sensitive, without a trailing slash.",
  },
  FD322: { status: 404, hint: "Check the id: it does not exist in this tenant." },
  FD316: {
    status: 404,
    hint: "Ask for a new invitation: this one does not exist, was used or revoked, or expired.",
  },
  FD321: { status: 403, hint: "Add this origin to FLOWDECK_CORS_ORIGINS." },
  FD330: {
    status: 409,
    hint: "Reload the draft, merge your change into it and save again with its new ETag.",
  },
  FD331: {
    status: 428,
    hint: "Send If-Match with the ETag from GET /workflows/:id so no one's edit is lost.",
  },
  FD332: { status: 422, hint: "Fix these problems (line and column given), then publish again." },
  FD333: { status: 409, hint: "Choose another name: each workflow in a workspace has a name of its own." },
  FD334: { status: 404, hint: "List the versions with GET /workflows/:id/versions." },
  FD337: {
    status: 409,
    hint: "Publish the workflow once (POST /workflows/:id/publish); then its draft can be compared with the live version.",
  },
  FD336: {
    status: 409,
    hint: "Save a regression case from a run of this workspace (a staff test run's runId).",
  },
  FD338: {
    status: 404,
    hint: "Pick one of the templates GET /workflow-templates lists, by its name (lowercase, with underscores).",
  },
  FD335: {
    status: 400,
    hint: "Fix these problems (line and column given); a workflow file needs valid YAML and a name of lowercase letters, digits and underscores.",
  },
  FD350: {
    status: 402,
    hint: "Upgrade the plan (GET /tenants/current shows limits and usage), or wait for the next month.",
  },
  FD351: { status: 409, hint: "Publish the workflow first (POST /workflows/:id/publish), or run the draft." },
  FD352: { status: 429, hint: "Slow down: wait for the time in Retry-After, or upgrade the plan." },
  FD353: {
    status: 409,
    hint: "A human agent has this conversation; wait for their answer or for the hand-back.",
  },
  FD354: { status: 409, hint: "Only a run in status `handoff` can be answered by an agent." },
  FD355: { status: 400, hint: "Fix the query parameter named in the message." },
  // Members (server/src/members): the last owner stays; admins manage editors and viewers.
  FD356: { status: 409, hint: "Make another member an owner first, then change or remove this one." },
  FD357: { status: 403, hint: "Ask an owner: admins change and remove editors and viewers only." },
  // Channels, chat and webhooks (server/src/channels, chat, webhooks, inbox). WebSocket close reasons carry them too.
  FD370: {
    status: 401,
    hint: "Send the channel's publishable key (data-channel / ?key=) or a staff access token.",
  },
  FD371: {
    status: 403,
    hint: "Add this page's Origin to the channel's allowedOrigins (PATCH /channels/:id).",
  },
  FD372: { status: 404, hint: "Check the channel id or key: the channel does not exist or was deleted." },
  FD373: { status: 400, hint: 'Send a chat message as { type: "message", text } (text 1–4000 characters).' },
  FD374: {
    status: 401,
    hint: "Sign `<timestamp>.<raw body>` with HMAC-SHA256 and the channel secret; send Flowdeck-Signature: t=…,v1=….",
  },
  FD375: {
    status: 401,
    hint: "Sign with the current time: timestamps older than 5 minutes are refused (replay protection).",
  },
  FD376: {
    status: 409,
    hint: "This message id was already received and processed; send new messages with new ids.",
  },
  FD377: {
    status: 503,
    hint: "The run host is not available in this server; start it with the runtime wired (startServer).",
  },
  FD378: { status: 404, hint: "Check the conversation id: no run in this tenant belongs to it." },
  FD379: { status: 400, hint: "This operation belongs to the other kind of channel (web or webhook)." },
  FD380: { status: 400, hint: "Use an https:// (or, for local tests, http://) URL without credentials." },
  FD381: {
    status: 400,
    hint: "Pin a version that exists (GET /workflows/:id/versions), or null for the latest.",
  },
  FD382: { status: 413, hint: "Send chat frames under the size limit (maxFrameBytes, 16 KiB by default)." },
  FD383: {
    status: 408,
    hint: "Read your socket: a client that stops reading is disconnected past maxBufferedBytes.",
  },
  FD384: {
    status: 401,
    hint: "The staff access token expired during the session: refresh it and reconnect.",
  },
  FD385: {
    status: 409,
    hint: "Webhook channels answer synchronously only for flows whose start trigger is webhook.",
  },
  FD386: {
    status: 429,
    hint: "Close other chat connections (tabs) first, or wait for the time in Retry-After; the limits are maxOpenSocketsPerAddress and maxOpenSocketsPerChannel.",
  },
  FD387: {
    status: 429,
    hint: "Reconnect with backoff: wait for the time in Retry-After (limit maxNewSocketsPerAddress per newSocketWindowMs).",
  },
  // Model settings (server/src/settings). FD388 appears only in a connection test's result (the provider said no).
  FD388: { status: 502, hint: "Check the API key, model name and base URL the provider expects." },
  FD389: { status: 400, hint: "Enter an API key (or save one) before testing the connection." },
  FD340: {
    status: 400,
    hint: "Remove the query parameter: the hint of this answer lists the ones this route accepts.",
  },
  FD341: { status: 400, hint: "Fix the named query parameter's value as the message says." },
  FD342: {
    status: 409,
    hint: "Use another value, or change the existing record instead (GET it, then PATCH).",
  },
  FD343: { status: 409, hint: "Reload the record: its current status does not allow this change." },
  FD344: {
    status: 422,
    hint: "Send the values the workflow's start node declares under inputs: the message names each one.",
  },
  FD390: { status: 503, hint: "Check that the database is reachable, then retry." },
  FD399: { status: 500, hint: "Retry; if it persists, report it with the X-Request-Id of this answer." },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly hint: string;
  /** Extra response headers, e.g. Retry-After for FD314. */
  readonly headers: Readonly<Record<string, string>>;
  /** Machine-readable detail for the client, e.g. the validation problems of a draft (FD332). */
  readonly details: unknown;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { hint?: string; headers?: Record<string, string>; details?: unknown } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = API_ERRORS[code].status;
    this.hint = options.hint ?? API_ERRORS[code].hint;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }

  toBody(): { error: { code: ApiErrorCode; message: string; hint: string; details?: unknown } } {
    const details = this.details === undefined ? {} : { details: this.details };
    return { error: { code: this.code, message: this.message, hint: this.hint, ...details } };
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
