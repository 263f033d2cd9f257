// Where the refresh token lives between page loads. The access token never leaves memory; the refresh token sits
// in localStorage so a reload keeps the session. Tabs share it: refresh tokens rotate and a spent one presented
// again revokes the whole session (server/src/auth/refresh-tokens.ts), so tabs must never both spend the same
// token. `withRefreshLock` serialises refreshes across tabs (Web Locks), and the caller re-reads the stored
// token inside the lock: if another tab already rotated it, the new one is used instead.

const STORAGE_KEY = "flowdeck.refreshToken";
const LOCK_NAME = "flowdeck.refresh";

export interface RefreshTokenStore {
  read(): string | undefined;
  write(token: string | undefined): void;
  /** Runs `fn` while no other tab refreshes. */
  withRefreshLock<T>(fn: () => Promise<T>): Promise<T>;
}

export function browserRefreshTokenStore(
  storage: Storage | undefined = safeLocalStorage(),
): RefreshTokenStore {
  return {
    read: () => storage?.getItem(STORAGE_KEY) ?? undefined,
    write(token) {
      if (!storage) return;
      if (token) storage.setItem(STORAGE_KEY, token);
      else storage.removeItem(STORAGE_KEY);
    },
    withRefreshLock(fn) {
      const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
      // Without Web Locks (old browsers, insecure origins) a single tab still works; two tabs may log out.
      return locks ? (locks.request(LOCK_NAME, fn) as Promise<Awaited<ReturnType<typeof fn>>>) : fn();
    },
  };
}

/** For tests and server-side use: nothing persists. */
export function memoryRefreshTokenStore(): RefreshTokenStore {
  let token: string | undefined;
  return {
    read: () => token,
    write(value) {
      token = value;
    },
    withRefreshLock: (fn) => fn(),
  };
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    // Storage can throw when disabled (privacy settings); the session then lasts as long as the page.
    return undefined;
  }
}
