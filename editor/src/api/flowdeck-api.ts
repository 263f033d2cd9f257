// The typed client over the server's routes. The builder and every screen receive one `FlowdeckApi` (see
// app/api-context.tsx) rather than calling fetch themselves, so auth, refresh and error shapes live here once.
import { defaultApiBaseUrl } from "./api-base-url";
import { createApiSession, type Session, type SessionListener } from "./api-session";
import type {
  Invitation,
  Me,
  Member,
  PendingInvitation,
  RegisterInput,
  Role,
  TenantSummary,
  TokenAnswer,
  ValidationReport,
  VersionRecord,
  WorkflowDraft,
  WorkflowSummary,
} from "./api-types";
import type { WorkflowDiff } from "@flowdeck/schemas";
import { browserRefreshTokenStore, type RefreshTokenStore } from "./refresh-token-store";

export interface FlowdeckApi {
  /** The current session, or undefined when signed out. */
  readonly session: Session | undefined;
  /** True when a refresh token is stored, so `restore` may bring the session back after a reload. */
  readonly canRestore: boolean;
  subscribe(listener: SessionListener): () => void;
  /** Restores a session from the stored refresh token; false when there is none or it was refused. */
  restore(): Promise<boolean>;

  register(input: RegisterInput): Promise<Session>;
  login(email: string, password: string): Promise<Session>;
  logout(): Promise<void>;
  me(): Promise<Me>;
  /** Every tenant the user belongs to, with names. */
  listTenants(): Promise<TenantSummary[]>;
  /** Moves the session into another tenant the user belongs to (new tokens, new role). */
  switchTenant(tenantId: string): Promise<Session>;

  listWorkflows(): Promise<WorkflowSummary[]>;
  createWorkflow(yaml: string): Promise<WorkflowDraft>;
  getWorkflow(id: string): Promise<WorkflowDraft>;
  /**
   * Saves the draft if nobody saved since `etag`. Resolves to the saved draft with its new `etag`; rejects with
   * `DraftConflictError` (409 FD330, nothing saved) when someone else saved first.
   */
  saveDraft(id: string, yaml: string, etag: string): Promise<WorkflowDraft>;
  validate(id: string): Promise<ValidationReport>;
  publish(id: string, note?: string): Promise<VersionRecord>;
  listVersions(id: string): Promise<VersionRecord[]>;
  getVersion(id: string, version: number): Promise<{ version: number; yaml: string }>;
  /**
   * What changed between two versions (`"draft"` or a number); from defaults to the live version, to to the
   * draft. A never-published workflow answers ApiError FD337 (409) for the default.
   */
  diff(id: string, from?: number | "draft", to?: number | "draft"): Promise<WorkflowDiff>;
  /** Publishes an old version's YAML again as the newest version; the draft becomes that YAML too. */
  rollback(id: string, version: number, note?: string): Promise<VersionRecord>;
  deleteWorkflow(id: string): Promise<void>;

  invite(email: string, role: Exclude<Role, "owner">): Promise<Invitation>;
  listInvitations(): Promise<PendingInvitation[]>;
  revokeInvitation(id: string): Promise<void>;
  acceptInvitation(token: string, password: string): Promise<Session>;
  /** The workspace's members (any member may list them). */
  listMembers(): Promise<Member[]>;
  /** Owners change anyone's role; admins editors' and viewers' (the server refuses the rest: FD357, FD356). */
  changeMemberRole(userId: string, role: Role): Promise<void>;
  /** Removes a member, or the caller themselves (leaving the workspace). */
  removeMember(userId: string): Promise<void>;

  /** Where the API is (screens with their own calls, such as the inbox, use it with `accessToken`). */
  readonly baseUrl: string;
  /** A current access token (refreshed when close to expiry), or undefined when signed out. */
  accessToken(): Promise<string | undefined>;
}

export interface FlowdeckApiOptions {
  /** Prefix for every path; default: `/api` in Vite dev, same origin in production. */
  readonly baseUrl?: string;
  readonly store?: RefreshTokenStore;
  readonly fetch?: typeof fetch;
}

const path = (id: string) => `/workflows/${encodeURIComponent(id)}`;

export function createFlowdeckApi(options: FlowdeckApiOptions = {}): FlowdeckApi {
  const baseUrl = options.baseUrl ?? defaultApiBaseUrl();
  const session = createApiSession({
    baseUrl,
    store: options.store ?? browserRefreshTokenStore(),
    fetch: options.fetch,
  });
  const { request } = session;
  const get = async <T>(url: string) => (await request<T>("GET", url)).data;
  const post = async <T>(url: string, body?: unknown) => (await request<T>("POST", url, { body })).data;
  const tokens = async (url: string, body: unknown) =>
    session.accept((await request<TokenAnswer>("POST", url, { body, auth: false })).data);
  const draftOf = (answer: { data: Omit<WorkflowDraft, "etag">; headers: Headers }): WorkflowDraft => ({
    ...answer.data,
    etag: answer.headers.get("ETag") ?? `"${answer.data.id}.${answer.data.revision}"`,
  });

  return {
    baseUrl,
    accessToken: () => session.validAccessToken(),
    get session() {
      return session.session;
    },
    get canRestore() {
      return session.canRestore;
    },
    subscribe: session.subscribe,
    async restore() {
      if (session.session) return true;
      if (!session.canRestore || !(await session.refresh())) return false;
      // A refresh answer names no email; the account menu wants it.
      const me = await get<Me>("/auth/me").catch(() => undefined);
      if (me) session.patch({ email: me.user.email });
      return true;
    },

    register: (input) => tokens("/auth/register", input),
    login: (email, password) => tokens("/auth/login", { email, password }),
    async logout() {
      const refreshToken = session.refreshToken;
      session.clear();
      // Best effort: the local session is gone either way, and the server answers 204 for any token.
      if (refreshToken)
        await request("POST", "/auth/logout", { body: { refreshToken }, auth: false }).catch(() => undefined);
    },
    me: () => get<Me>("/auth/me"),
    listTenants: async () => (await get<{ items: TenantSummary[] }>("/auth/tenants")).items,
    async switchTenant(tenantId) {
      return session.accept(
        await post<TokenAnswer>("/auth/switch-tenant", { tenantId, refreshToken: session.refreshToken }),
      );
    },

    listWorkflows: async () => (await get<{ items: WorkflowSummary[] }>("/workflows")).items,
    createWorkflow: async (yaml) => draftOf(await request("POST", "/workflows", { body: { yaml } })),
    getWorkflow: async (id) => draftOf(await request("GET", path(id))),
    saveDraft: async (id, yaml, etag) =>
      draftOf(await request("PUT", `${path(id)}/draft`, { body: { yaml }, headers: { "If-Match": etag } })),
    validate: (id) => post<ValidationReport>(`${path(id)}/validate`),
    publish: (id, note) => post<VersionRecord>(`${path(id)}/publish`, note === undefined ? {} : { note }),
    listVersions: async (id) => (await get<{ items: VersionRecord[] }>(`${path(id)}/versions`)).items,
    getVersion: (id, version) => get<{ version: number; yaml: string }>(`${path(id)}/versions/${version}`),
    diff(id, from, to) {
      const query = new URLSearchParams();
      if (from !== undefined) query.set("from", String(from));
      if (to !== undefined) query.set("to", String(to));
      const search = query.size > 0 ? `?${query.toString()}` : "";
      return get<WorkflowDiff>(`${path(id)}/diff${search}`);
    },
    rollback: (id, version, note) =>
      post<VersionRecord>(`${path(id)}/rollback`, note === undefined ? { version } : { version, note }),
    async deleteWorkflow(id) {
      await request("DELETE", path(id));
    },

    invite: (email, role) => post<Invitation>("/invitations", { email, role }),
    listInvitations: async () => (await get<{ items: PendingInvitation[] }>("/invitations")).items,
    async revokeInvitation(id) {
      await request("DELETE", `/invitations/${encodeURIComponent(id)}`);
    },
    acceptInvitation: (token, password) => tokens("/invitations/accept", { token, password }),
    listMembers: async () => (await get<{ items: Member[] }>("/members")).items,
    async changeMemberRole(userId, role) {
      await request("PATCH", `/members/${encodeURIComponent(userId)}`, { body: { role } });
    },
    async removeMember(userId) {
      await request("DELETE", `/members/${encodeURIComponent(userId)}`);
    },
  };
}
