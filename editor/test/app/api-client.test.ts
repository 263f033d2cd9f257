// The API client against a scripted fetch: tokens, refresh, errors, conflicts. No server, no browser.
import { describe, expect, it } from "vitest";
import { createFlowdeckApi, DraftConflictError, isApiError, memoryRefreshTokenStore } from "../../src/api";

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => { status: number; body?: unknown; headers?: Record<string, string> };

function fakeServer(handler: Handler) {
  const calls: Call[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? "GET",
      path: String(input),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const answer = handler(call);
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  };
  return { calls, fetch: fetchFn as typeof fetch };
}

let issued = 0;
function tokens(expiresInSeconds = 900) {
  issued += 1;
  return {
    tokenType: "Bearer",
    accessToken: `access-${issued}`,
    expiresInSeconds,
    refreshToken: `fdr.refresh-${issued}`,
    user: { id: "u1", email: "a@example.com" },
    tenant: { id: "t1", role: "owner" },
    tenants: [{ id: "t1", role: "owner" }],
  };
}

const error = (status: number, code: string, details?: object) => ({
  status,
  body: { error: { code, message: `${code} happened`, hint: `fix ${code}`, details } },
});

describe("the API client", () => {
  it("keeps the access token in memory, the refresh token in the store, and sends the bearer", async () => {
    const store = memoryRefreshTokenStore();
    const server = fakeServer((call) =>
      call.path === "/auth/login" ? { status: 200, body: tokens() } : { status: 200, body: { items: [] } },
    );
    const api = createFlowdeckApi({ baseUrl: "", store, fetch: server.fetch });
    const session = await api.login("a@example.com", "pw");
    expect(session).toMatchObject({
      userId: "u1",
      email: "a@example.com",
      tenant: { id: "t1", role: "owner" },
    });
    expect(store.read()).toMatch(/^fdr\.refresh-/);
    await api.listWorkflows();
    expect(server.calls[1]?.headers.Authorization).toMatch(/^Bearer access-/);
    expect(server.calls[0]?.headers.Authorization).toBeUndefined();
  });

  it("refreshes once and retries when the server says the access token is no longer valid", async () => {
    let rejectNext = true;
    const server = fakeServer((call) => {
      if (call.path === "/auth/login" || call.path === "/auth/refresh")
        return { status: 200, body: tokens() };
      if (rejectNext) {
        rejectNext = false;
        return error(401, "FD310");
      }
      return { status: 200, body: { items: [{ id: "w1" }] } };
    });
    const api = createFlowdeckApi({ baseUrl: "", store: memoryRefreshTokenStore(), fetch: server.fetch });
    await api.login("a@example.com", "pw");
    expect(await api.listWorkflows()).toEqual([{ id: "w1" }]);
    expect(server.calls.map((c) => c.path)).toEqual([
      "/auth/login",
      "/workflows",
      "/auth/refresh",
      "/workflows",
    ]);
    // The retry used the new token, and the session still knows the email the refresh answer lacks.
    expect(server.calls[3]?.headers.Authorization).not.toBe(server.calls[1]?.headers.Authorization);
    expect(api.session?.email).toBe("a@example.com");
  });

  it("shares one refresh between concurrent calls with an expired token", async () => {
    const server = fakeServer((call) => {
      if (call.path === "/auth/login") return { status: 200, body: tokens(1) }; // expires at once (30 s margin)
      if (call.path === "/auth/refresh") return { status: 200, body: tokens() };
      return { status: 200, body: { items: [] } };
    });
    const api = createFlowdeckApi({ baseUrl: "", store: memoryRefreshTokenStore(), fetch: server.fetch });
    await api.login("a@example.com", "pw");
    await Promise.all([api.listWorkflows(), api.listWorkflows(), api.listWorkflows()]);
    // Refresh tokens rotate: a second refresh with the same token would revoke the session.
    expect(server.calls.filter((c) => c.path === "/auth/refresh")).toHaveLength(1);
  });

  it("signs out locally when the refresh token is refused, and surfaces the server's error", async () => {
    const store = memoryRefreshTokenStore();
    store.write("fdr.stale");
    const server = fakeServer((call) =>
      call.path === "/auth/refresh" ? error(401, "FD312") : error(401, "FD310"),
    );
    const api = createFlowdeckApi({ baseUrl: "", store, fetch: server.fetch });
    expect(await api.restore()).toBe(false);
    expect(store.read()).toBeUndefined();
    const failure = await api.listWorkflows().catch((e: unknown) => e);
    expect(isApiError(failure, "FD310")).toBe(true);
    expect(failure).toMatchObject({ status: 401, message: "FD310 happened", hint: "fix FD310" });
  });

  it("saves drafts with If-Match and turns a stale save into a DraftConflictError with the current ETag", async () => {
    const server = fakeServer((call) => {
      if (call.path === "/auth/login") return { status: 200, body: tokens() };
      if (call.headers["If-Match"] === '"w1.3"') {
        return {
          status: 200,
          body: { id: "w1", revision: 4, yaml: "name: x\n" },
          headers: { ETag: '"w1.4"' },
        };
      }
      return error(409, "FD330", { etag: '"w1.5"' });
    });
    const api = createFlowdeckApi({ baseUrl: "", store: memoryRefreshTokenStore(), fetch: server.fetch });
    await api.login("a@example.com", "pw");
    const saved = await api.saveDraft("w1", "name: x\n", '"w1.3"');
    expect(saved.etag).toBe('"w1.4"');
    expect(server.calls[1]).toMatchObject({
      method: "PUT",
      path: "/workflows/w1/draft",
      body: { yaml: "name: x\n" },
    });
    const conflict = await api.saveDraft("w1", "name: y\n", '"w1.3-stale"').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(DraftConflictError);
    expect((conflict as DraftConflictError).currentEtag).toBe('"w1.5"');
  });

  it("logs out by clearing the session first and revoking the refresh token on the server", async () => {
    const store = memoryRefreshTokenStore();
    const server = fakeServer((call) =>
      call.path === "/auth/logout" ? { status: 204 } : { status: 200, body: tokens() },
    );
    const api = createFlowdeckApi({ baseUrl: "", store, fetch: server.fetch });
    const seen: unknown[] = [];
    api.subscribe((s) => seen.push(s?.userId));
    await api.login("a@example.com", "pw");
    const refreshToken = store.read();
    await api.logout();
    expect(api.session).toBeUndefined();
    expect(store.read()).toBeUndefined();
    expect(seen).toEqual(["u1", undefined]);
    expect(server.calls.at(-1)).toMatchObject({ path: "/auth/logout", body: { refreshToken } });
  });

  it("turns a network failure into FD600", async () => {
    const api = createFlowdeckApi({
      baseUrl: "",
      store: memoryRefreshTokenStore(),
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch,
    });
    const failure = await api.login("a@example.com", "pw").catch((e: unknown) => e);
    expect(isApiError(failure, "FD600")).toBe(true);
  });

  it("switches tenant with the refresh token it leaves, and takes the new tenant and role as the session", async () => {
    const store = memoryRefreshTokenStore();
    const server = fakeServer((call) => {
      if (call.path === "/auth/switch-tenant") {
        return { status: 200, body: { ...tokens(), tenant: { id: "t2", role: "viewer" } } };
      }
      return { status: 200, body: tokens() };
    });
    const api = createFlowdeckApi({ baseUrl: "", store, fetch: server.fetch });
    await api.login("a@example.com", "pw");
    const left = store.read();
    const tenants: unknown[] = [];
    api.subscribe((s) => tenants.push(s?.tenant));
    await api.switchTenant("t2");
    expect(server.calls.at(-1)).toMatchObject({
      path: "/auth/switch-tenant",
      body: { tenantId: "t2", refreshToken: left },
    });
    expect(api.session?.tenant).toEqual({ id: "t2", role: "viewer" });
    expect(tenants).toEqual([{ id: "t2", role: "viewer" }]);
    expect(store.read()).not.toBe(left);
  });
});
