// Every failed call becomes an ApiError carrying the server's stable `{ error: { code, message, hint } }`.
// Codes the client itself raises use FD6xx (editor): FD600 network, FD601 answer not JSON.

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
}

export class ApiError extends Error {
  override readonly name: string = "ApiError";
  readonly code: string;
  readonly status: number;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details;
  }
}

/** A draft save refused because someone saved after we loaded (409 FD330). Nothing was saved. */
export class DraftConflictError extends ApiError {
  override readonly name: string = "DraftConflictError";
  /** The ETag of the draft now on the server; reload it to see the other save. */
  readonly currentEtag: string | undefined;

  constructor(status: number, body: ApiErrorBody) {
    super(status, body);
    const etag = body.details?.etag;
    this.currentEtag = typeof etag === "string" ? etag : undefined;
  }
}

export const CLIENT_ERRORS = {
  FD600: {
    message: "Could not reach the Flowdeck server.",
    hint: "Check your connection and that the server runs.",
  },
  FD601: { message: "The server answered with something that is not JSON.", hint: "Is a proxy in the way?" },
} as const;

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** One line for the UI: the message, then the hint when the server gave one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  return error instanceof Error ? error.message : String(error);
}
