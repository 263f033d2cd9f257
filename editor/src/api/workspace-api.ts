// Calls for the workspace screens (channels, settings), on top of the session's base URL and access token.
// Kept apart from flowdeck-api.ts so that file stays one concept (auth, workflows, team) and a readable size.
import { ApiError, CLIENT_ERRORS } from "./api-error";
import type { FlowdeckApi } from "./flowdeck-api";
import type {
  AuditFilter,
  AuditRecord,
  Channel,
  ChannelChange,
  ChannelCredentials,
  ChannelDeliveries,
  CurrentTenant,
  HttpAllowList,
  ModelConnectionTest,
  ModelSettings,
  ModelSettingsChange,
  NewChannel,
  RetriedDeliveries,
  StoredCredential,
} from "./workspace-types";

type Source = Pick<FlowdeckApi, "baseUrl" | "accessToken">;

export function createWorkspaceApi(source: Source) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await source.accessToken();
    let response: Response;
    try {
      response = await fetch(`${source.baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, { code: "FD600", ...CLIENT_ERRORS.FD600 });
    }
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => undefined)) as
      { error?: { code: string; message: string; hint?: string } } | undefined;
    if (json === undefined) throw new ApiError(response.status, { code: "FD601", ...CLIENT_ERRORS.FD601 });
    if (!response.ok)
      throw new ApiError(
        response.status,
        json.error ?? { code: "FD601", message: `HTTP ${response.status}`, hint: undefined },
      );
    return json as T;
  }
  const channel = (id: string) => `/channels/${encodeURIComponent(id)}`;

  return {
    listChannels: async () => (await call<{ items: Channel[] }>("GET", "/channels")).items,
    createChannel: (input: NewChannel) => call<Channel & ChannelCredentials>("POST", "/channels", input),
    updateChannel: (id: string, change: ChannelChange) => call<Channel>("PATCH", channel(id), change),
    rotateChannel: (id: string) => call<Channel & ChannelCredentials>("POST", `${channel(id)}/rotate`),
    deleteChannel: (id: string) => call<void>("DELETE", channel(id)),

    currentTenant: () => call<CurrentTenant>("GET", "/tenants/current"),
    listAudit(filter: AuditFilter = {}) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(filter))
        if (value !== undefined && value !== "") query.set(name, String(value));
      const text = query.toString();
      return call<{ items: AuditRecord[]; nextCursor: string | null }>(
        "GET",
        `/audit${text ? `?${text}` : ""}`,
      );
    },

    modelSettings: () => call<ModelSettings>("GET", "/settings/models"),
    saveModelSettings: (change: ModelSettingsChange) =>
      call<ModelSettings>("PUT", "/settings/models", change),
    testModelSettings: (change: ModelSettingsChange = {}) =>
      call<ModelConnectionTest>("POST", "/settings/models/test", change),

    httpAllowList: () => call<HttpAllowList>("GET", "/settings/http-allow-list"),
    saveHttpAllowList: (entries: readonly string[]) =>
      call<HttpAllowList>("PUT", "/settings/http-allow-list", { entries }),
    credentials: async () =>
      (await call<{ items: StoredCredential[] }>("GET", "/settings/credentials")).items,
    saveCredential: (name: string, value: string) =>
      call<{ id: string; name: string; last4: string; replaced: boolean }>("POST", "/settings/credentials", {
        name,
        value,
      }),
    deleteCredential: (id: string) => call<void>("DELETE", `/settings/credentials/${encodeURIComponent(id)}`),
    channelDeliveries: (id: string) => call<ChannelDeliveries>("GET", `${channel(id)}/deliveries`),
    /** Owes given-up messages again: those in `ids`, or every given-up message of the channel. */
    retryDeliveries: (id: string, ids?: readonly string[]) =>
      call<RetriedDeliveries>("POST", `${channel(id)}/deliveries/retry`, ids ? { ids } : {}),
  };
}

export type WorkspaceApi = ReturnType<typeof createWorkspaceApi>;
