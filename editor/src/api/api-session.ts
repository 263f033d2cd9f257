// The signed-in session: the access token in memory, refreshed before it expires and once more when the server
// says it is no longer valid (401 FD310). Concurrent calls share one refresh.
import { ApiError, CLIENT_ERRORS, DraftConflictError, type ApiErrorBody } from "./api-error";
import type { TokenAnswer, TenantMembership } from "./api-types";
import type { RefreshTokenStore } from "./refresh-token-store";

/** Refresh this long before the access token expires, so a slow request does not arrive with a dead token. */
const REFRESH_EARLY_MS = 30_000;

export interface Session {
  readonly userId: string;
  readonly email: string | undefined;
  readonly tenant: TenantMembership;
  readonly tenants: readonly TenantMembership[] | undefined;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** false for the public auth routes. Default true. */
  readonly auth?: boolean;
}

export interface RawAnswer<T> {
  readonly data: T;
  readonly headers: Headers;
  readonly status: number;
}

export interface ApiSessionOptions {
  readonly baseUrl: string;
  readonly store: RefreshTokenStore;
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  readonly now?: () => number;
}

export type SessionListener = (session: Session | undefined) => void;

export function createApiSession({
  baseUrl,
  store,
  fetch: fetchFn = globalThis.fetch.bind(globalThis),
  now = Date.now,
}: ApiSessionOptions) {
  let accessToken: string | undefined;
  let expiresAtMs = 0;
  let refreshToken: string | undefined = store.read();
  let session: Session | undefined;
  let refreshing: Promise<boolean> | undefined;
  const listeners = new Set<SessionListener>();

  function setSession(next: Session | undefined) {
    session = next;
    for (const listener of listeners) listener(next);
  }

  /** Takes a token answer (login, register, refresh, switch, accept) as the new session. */
  function accept(answer: TokenAnswer): Session {
    accessToken = answer.accessToken;
    expiresAtMs = now() + answer.expiresInSeconds * 1000;
    refreshToken = answer.refreshToken;
    store.write(refreshToken);
    const next: Session = {
      userId: answer.user.id,
      // A refresh answer has no email or tenant list: keep what we knew.
      email: answer.user.email ?? (session?.userId === answer.user.id ? session.email : undefined),
      tenant: answer.tenant,
      tenants: answer.tenants ?? (session?.userId === answer.user.id ? session.tenants : undefined),
    };
    setSession(next);
    return next;
  }

  /** Fills in what a refresh answer lacks (the email), read from GET /auth/me. */
  function patch(fields: Partial<Pick<Session, "email">>) {
    if (session) setSession({ ...session, ...fields });
  }

  function clear() {
    accessToken = undefined;
    expiresAtMs = 0;
    refreshToken = undefined;
    store.write(undefined);
    setSession(undefined);
  }

  async function send<T>(
    method: string,
    path: string,
    options: RequestOptions,
    token: string | undefined,
  ): Promise<RawAnswer<T>> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiError(0, { code: "FD600", ...CLIENT_ERRORS.FD600 });
    }
    if (response.status === 204) return { data: undefined as T, headers: response.headers, status: 204 };
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      throw new ApiError(response.status, { code: "FD601", ...CLIENT_ERRORS.FD601 });
    }
    if (!response.ok) {
      const body = (data as { error?: ApiErrorBody }).error ?? { code: "FD601", ...CLIENT_ERRORS.FD601 };
      throw body.code === "FD330"
        ? new DraftConflictError(response.status, body)
        : new ApiError(response.status, body);
    }
    return { data: data as T, headers: response.headers, status: response.status };
  }

  /** Spends the refresh token for a new pair. False (and signed out) when the server refuses it. */
  function refresh(): Promise<boolean> {
    refreshing ??= store
      .withRefreshLock(async () => {
        // Another tab may have rotated the token while we waited for the lock: take theirs.
        const stored = store.read();
        if (stored && stored !== refreshToken) refreshToken = stored;
        if (!refreshToken) return false;
        try {
          const { data } = await send<TokenAnswer>(
            "POST",
            "/auth/refresh",
            { body: { refreshToken } },
            undefined,
          );
          accept(data);
          return true;
        } catch (error) {
          if (error instanceof ApiError && error.code === "FD312") {
            clear();
            return false;
          }
          throw error;
        }
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  async function validAccessToken(): Promise<string | undefined> {
    if (accessToken && now() < expiresAtMs - REFRESH_EARLY_MS) return accessToken;
    if (refreshToken || store.read()) await refresh();
    return accessToken;
  }

  async function request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<RawAnswer<T>> {
    if (options.auth === false) return send<T>(method, path, options, undefined);
    const token = await validAccessToken();
    try {
      return await send<T>(method, path, options, token);
    } catch (error) {
      // The token may have been revoked or the role changed; one refresh, one retry.
      if (error instanceof ApiError && error.code === "FD310" && (await refresh())) {
        return send<T>(method, path, options, accessToken);
      }
      throw error;
    }
  }

  return {
    request,
    validAccessToken,
    accept,
    patch,
    clear,
    refresh,
    get session() {
      return session;
    },
    get refreshToken() {
      return refreshToken;
    },
    /** True when a stored refresh token may restore a session (call `refresh` to find out). */
    get canRestore() {
      return Boolean(refreshToken ?? store.read());
    },
    subscribe(listener: SessionListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ApiSession = ReturnType<typeof createApiSession>;
