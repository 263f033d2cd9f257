// The signed-in frame: a sidebar (brand, workspace, navigation, account) beside the page.
import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { TenantSwitcher } from "../tenants/tenant-switcher";
import { Icon } from "../ui/icon";
import { useApi, useSession } from "./api-context";
import { canInvite } from "./roles";

export function AppShell({ children }: { children: ReactNode }) {
  const api = useApi();
  const session = useSession();
  const [location, navigate] = useLocation();
  const email = session?.email ?? "";

  async function signOut() {
    await api.logout();
    navigate("/sign-in");
  }

  return (
    <div className="fd-shell">
      <a className="fd-skip-link" href="#main">
        Skip to content
      </a>
      <aside className="fd-sidebar" aria-label="Sidebar">
        <Link href="/" className="fd-brand">
          <span className="fd-brand__mark" aria-hidden="true">
            <Icon name="flow" />
          </span>
          Flowdeck
        </Link>
        <TenantSwitcher />
        <nav className="fd-nav" aria-label="Main">
          <span className="fd-nav__heading">Build</span>
          <Link href="/" className="fd-nav__link" aria-current={location === "/" ? "page" : undefined}>
            <Icon name="flow" />
            Workflows
          </Link>
          <Link
            href="/runs"
            className="fd-nav__link"
            aria-current={location === "/runs" || location.startsWith("/runs/") ? "page" : undefined}
          >
            <Icon name="chart" />
            Runs
          </Link>
          <Link
            href="/handoffs"
            className="fd-nav__link"
            aria-current={location === "/handoffs" ? "page" : undefined}
          >
            <Icon name="users" />
            Handoffs
          </Link>
          <Link
            href="/insights"
            className="fd-nav__link"
            aria-current={location === "/insights" ? "page" : undefined}
          >
            <Icon name="chart" />
            Insights
          </Link>
          {canInvite(session?.tenant.role) ? (
            <>
              <span className="fd-nav__heading">Workspace</span>
              <Link
                href="/team"
                className="fd-nav__link"
                aria-current={location === "/team" ? "page" : undefined}
              >
                <Icon name="users" />
                Team
              </Link>
              <Link
                href="/channel-setup"
                className="fd-nav__link"
                aria-current={location === "/channel-setup" ? "page" : undefined}
              >
                <Icon name="flow" />
                Channels
              </Link>
              <Link
                href="/workspace-settings"
                className="fd-nav__link"
                aria-current={location === "/workspace-settings" ? "page" : undefined}
              >
                <Icon name="lock" />
                Settings
              </Link>
            </>
          ) : null}
        </nav>
        <div className="fd-sidebar__footer">
          <div className="fd-user">
            <span className="fd-avatar" aria-hidden="true">
              {email.slice(0, 1).toUpperCase() || "?"}
            </span>
            <span className="fd-user__email" title={email}>
              {email || "Signed in"}
            </span>
            <button
              type="button"
              className="fd-icon-button"
              aria-label="Sign out"
              title="Sign out"
              onClick={() => void signOut()}
              data-testid="sign-out"
            >
              <Icon name="logout" />
            </button>
          </div>
        </div>
      </aside>
      <main id="main" className="fd-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
