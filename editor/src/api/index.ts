export { createFlowdeckApi } from "./flowdeck-api";
export type { FlowdeckApi, FlowdeckApiOptions } from "./flowdeck-api";
export { ApiError, DraftConflictError, describeError, isApiError } from "./api-error";
export { errorNotice, problemLines } from "./error-problems";
export type { Session } from "./api-session";
export type {
  Invitation,
  Me,
  Member,
  PendingInvitation,
  Plan,
  RegisterInput,
  Role,
  TenantMembership,
  TenantSummary,
  ValidationReport,
  VersionRecord,
  WorkflowDraft,
  WorkflowSummary,
} from "./api-types";
export { browserRefreshTokenStore, memoryRefreshTokenStore } from "./refresh-token-store";
