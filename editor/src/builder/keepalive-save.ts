/**
 * The draft save sent while the page goes away (reload, tab close). A normal `fetch` is cancelled with the
 * page; one with `keepalive: true` is finished by the browser (bodies up to 64 kB, which every flow under
 * ~1,500 lines fits; a larger one falls back to the normal save, which may not arrive). No await may come
 * before the `fetch` call, because the page may be frozen right after the `pagehide` handler returns, so the
 * access token is the one remembered from the last change.
 */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

export interface KeepaliveSave {
  readonly url: string;
  readonly yaml: string;
  readonly etag: string;
  readonly token: string | undefined;
}

/** Starts the save; resolves to the new ETag when the page is still there to hear the answer. */
export function sendKeepaliveSave(save: KeepaliveSave): Promise<string | undefined> | undefined {
  const body = JSON.stringify({ yaml: save.yaml });
  if (new TextEncoder().encode(body).length > KEEPALIVE_MAX_BYTES) return undefined;
  return fetch(save.url, {
    method: "PUT",
    keepalive: true,
    headers: {
      "content-type": "application/json",
      "If-Match": save.etag,
      ...(save.token ? { authorization: `Bearer ${save.token}` } : {}),
    },
    body,
  })
    .then((response) => (response.ok ? (response.headers.get("ETag") ?? undefined) : undefined))
    .catch(() => undefined);
}
