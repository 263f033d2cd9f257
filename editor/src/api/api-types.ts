// Shapes of the server's answers (server/src/auth/auth-routes.ts, server/src/workflows/workflow-routes.ts).
// Kept by hand because the editor must not import server code; the browser tests catch drift.
import type { Problem } from "@flowdeck/schemas";

export type Role = "owner" | "admin" | "editor" | "viewer";
export type Plan = "free" | "pro" | "enterprise";

export interface TenantMembership {
  readonly id: string;
  readonly role: Role;
}

export interface TokenAnswer {
  readonly tokenType: "Bearer";
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly refreshToken: string;
  readonly user: { readonly id: string; readonly email?: string };
  readonly tenant: TenantMembership;
  readonly tenants?: readonly TenantMembership[];
}

export interface Me {
  readonly user: { readonly id: string; readonly email: string; readonly createdAt: string };
  readonly tenant: { readonly id: string; readonly name: string; readonly plan: Plan; readonly role: Role };
}

/** One of the caller's tenants (GET /auth/tenants). */
export interface TenantSummary {
  readonly id: string;
  readonly name: string;
  readonly plan: Plan;
  readonly role: Role;
  /** The tenant of the current session. */
  readonly current: boolean;
}

export interface WorkflowSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly latestVersion: number | null;
  /** The draft differs from the latest published version (server: workflow-store.ts); absent = unknown. */
  readonly draftChanged?: boolean;
  readonly updatedAt: string;
}

export interface ValidationReport {
  readonly problems: readonly Problem[];
  readonly errorCount: number;
  readonly warningCount: number;
}

export interface WorkflowDraft extends WorkflowSummary, ValidationReport {
  readonly yaml: string;
  /** The ETag to send back as If-Match when saving. */
  readonly etag: string;
}

export interface VersionRecord {
  readonly version: number;
  readonly note: string;
  readonly authorId: string | null;
  readonly createdAt: string;
}

export interface RegisterInput {
  readonly tenantName: string;
  readonly email: string;
  readonly password: string;
}

/** A member of the workspace (GET /members; server/src/members/member-store.ts). */
export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly joinedAt: string;
}

/** A pending invitation (GET /invitations). */
export interface PendingInvitation {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A new invitation: the token is shown once, here, and never again. */
export interface Invitation extends PendingInvitation {
  readonly token: string;
}
