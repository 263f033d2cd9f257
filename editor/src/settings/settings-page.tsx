// Workspace settings (admins and owners): the model provider, what tools may reach (HTTP allow-list) and with
// which credentials, plan and usage, and the audit log. Its path is
// `/workspace-settings`: `/settings/…` belongs to the API.
import { useMemo } from "react";
import { createWorkspaceApi } from "../api/workspace-api";
import { useApi, useSession } from "../app/api-context";
import { canInvite } from "../app/roles";
import { usePageTitle } from "../ui/use-page-title";
import { AuditLogSection } from "./audit-log-section";
import { CredentialsSection } from "./credentials-section";
import { HttpAllowListSection } from "./http-allow-list-section";
import { ModelSettingsSection } from "./model-settings-section";
import { PlanUsageSection } from "./plan-usage-section";

export function SettingsPage() {
  const api = useApi();
  const session = useSession();
  const workspace = useMemo(() => createWorkspaceApi(api), [api]);
  usePageTitle("Settings");
  if (!canInvite(session?.tenant.role)) {
    return (
      <div className="fd-page">
        <h1 className="fd-page-header__title">Settings</h1>
        <p className="fd-alert fd-alert--info" role="note">
          Only admins and owners change workspace settings.
        </p>
      </div>
    );
  }
  return (
    <div className="fd-page fd-settings">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Settings</h1>
          <p className="fd-page-header__subtitle">
            Model provider, what your tools may reach, plan and usage, and who changed what.
          </p>
        </div>
      </header>
      <ModelSettingsSection workspace={workspace} />
      <HttpAllowListSection workspace={workspace} />
      <CredentialsSection workspace={workspace} />
      <PlanUsageSection workspace={workspace} />
      <AuditLogSection workspace={workspace} />
    </div>
  );
}
