// Shapes of the workspace screens' answers (channels, plan and usage, audit log, model settings), mirroring
// server/src/channels/channel-types.ts, plans/tenant-routes.ts, audit/audit-store.ts.

export interface Channel {
  readonly id: string;
  readonly kind: "web" | "webhook";
  readonly name: string;
  readonly workflowId: string;
  /** null: each new run takes the latest published version. */
  readonly pinnedVersion: number | null;
  readonly allowedOrigins: readonly string[];
  readonly outboundUrl: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** A webhook channel's absolute URL as the server is reached publicly (FLOWDECK_PUBLIC_URL or the request). */
  readonly webhookUrl?: string;
}

/** Shown once, on create and rotate. */
export interface ChannelCredentials {
  readonly publishableKey?: string;
  /** `<script src="https://…/widget.js" data-channel="…" async></script>` with an absolute URL. */
  readonly embed?: string;
  readonly webhookSecret?: string;
  readonly webhookPath?: string;
  readonly webhookUrl?: string;
}

export interface NewChannel {
  readonly kind: "web" | "webhook";
  readonly name?: string;
  readonly workflow: string;
  readonly pinnedVersion?: number | null;
  readonly allowedOrigins?: readonly string[];
  readonly outboundUrl?: string;
}

export interface ChannelChange {
  readonly name?: string;
  readonly pinnedVersion?: number | null;
  readonly allowedOrigins?: readonly string[];
  readonly outboundUrl?: string;
}

export interface PlanLimits {
  readonly runsPerMonth: number | null;
  readonly messagesPerMinute: number | null;
  readonly seats: number | null;
  readonly workflows: number | null;
  readonly concurrentRuns: number;
  /** Days a run's history is kept after its last change. */
  readonly runHistoryDays: number;
}

export interface CurrentTenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly plan: string;
  readonly limits: PlanLimits;
  readonly usage: { readonly runsThisMonth: number; readonly seats: number; readonly workflows: number };
}

export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly detail: Record<string, unknown>;
  readonly requestId: string | null;
}

export interface AuditFilter {
  readonly actor?: string;
  /** `workflow.publish`, or `workflow.*` for every action on workflows. */
  readonly action?: string;
  /** `workflow` or `workflow:<id>`. */
  readonly target?: string;
  /** ISO time. */
  readonly since?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface ModelSettings {
  /** false: the server's environment (or the offline provider) is used. */
  readonly configured: boolean;
  readonly baseUrl: string | null;
  /** Last 4 characters of the stored key, never the key. */
  readonly apiKeyLast4: string | null;
  readonly defaultModel: string | null;
  readonly updatedAt: string | null;
}

export interface ModelSettingsChange {
  /** Omitted: keep the stored key. */
  readonly apiKey?: string;
  readonly baseUrl?: string | null;
  readonly defaultModel?: string | null;
}

export interface ModelConnectionTest {
  readonly ok: boolean;
  readonly models?: readonly string[];
  readonly code?: string;
  readonly message?: string;
}

/** GET /settings/http-allow-list (server/src/http-access/allow-list-store.ts). */
export interface HttpAllowList {
  readonly entries: readonly string[];
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** One stored credential for tools: never its value (server/src/http-access/credential-store.ts). */
export interface StoredCredential {
  readonly id: string;
  readonly name: string;
  readonly last4: string;
  readonly updatedAt: string;
}

/** GET /channels/:id/deliveries (server/src/webhooks/delivery-stats.ts). */
export interface ChannelDeliveries {
  readonly health: "ok" | "retrying" | "failing";
  readonly deliveredTotal: number;
  readonly failedAttemptsTotal: number;
  readonly givenUpTotal: number;
  readonly lastDeliveredAt: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly items: ReadonlyArray<{
    readonly id: string;
    readonly conversationId: string;
    readonly messageId: string;
    readonly attempts: number;
    readonly status: "pending" | "retrying" | "given-up";
    readonly lastError: string | null;
    readonly nextAttemptAt: string | null;
    /** When its day of retries ended; set exactly when `status` is "given-up". */
    readonly givenUpAt: string | null;
    readonly createdAt: string;
  }>;
}

export type ChannelDelivery = ChannelDeliveries["items"][number];

/** POST /channels/:id/deliveries/retry: the given-up messages owed again. */
export interface RetriedDeliveries {
  readonly retried: number;
  readonly ids: readonly string[];
}
