// Shows the current tenant and role; for people in several tenants it is a menu that moves the session into
// another one (POST /auth/switch-tenant). The menu follows the WAI-ARIA menu button pattern: arrows move,
// Escape closes and returns focus to the button.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useLocation } from "wouter";
import { describeError, type TenantSummary } from "../api";
import { useApi, useSession } from "../app/api-context";
import { ROLE_LABELS } from "../app/roles";
import { Icon } from "../ui/icon";
import { useToast } from "../ui/toasts";

export function TenantSwitcher() {
  const api = useApi();
  const session = useSession();
  const notify = useToast();
  const [, navigate] = useLocation();
  const [tenants, setTenants] = useState<TenantSummary[]>([]);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const tenantId = session?.tenant.id;

  useEffect(() => {
    if (!tenantId) return;
    let live = true;
    api
      .listTenants()
      .then((items) => live && setTenants(items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, tenantId]);

  useEffect(() => {
    // The menu opens on the current tenant, as a radio group would.
    const menu = menuRef.current;
    if (open)
      (
        menu?.querySelector<HTMLButtonElement>('[aria-checked="true"]') ?? menu?.querySelector("button")
      )?.focus();
  }, [open]);

  const current = tenants.find((t) => t.id === tenantId);
  // An em space keeps the button's height while the list loads, instead of flashing a made-up name.
  const name = current?.name ?? "\u2003";
  const role = session?.tenant.role;
  const several = tenants.length > 1;

  async function switchTo(tenant: TenantSummary) {
    setOpen(false);
    buttonRef.current?.focus();
    if (tenant.id === tenantId) return;
    try {
      await api.switchTenant(tenant.id);
      navigate("/");
      notify(`Switched to ${tenant.name}.`);
    } catch (error) {
      notify(`Could not switch: ${describeError(error)}`, "error");
    }
  }

  function onMenuKey(event: KeyboardEvent<HTMLUListElement>) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  }

  return (
    <div className="fd-tenant-switcher">
      <button
        ref={buttonRef}
        type="button"
        className="fd-tenant-button"
        aria-haspopup={several ? "menu" : undefined}
        aria-expanded={several ? open : undefined}
        aria-controls={several && open ? menuId : undefined}
        onClick={() => several && setOpen((value) => !value)}
        data-testid="tenant-switcher"
      >
        <span className="fd-tenant-button__avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="fd-tenant-button__text">
          <span className="fd-tenant-button__name" title={name}>
            {name}
          </span>
          <span className="fd-tenant-button__role">{role ? ROLE_LABELS[role] : ""}</span>
        </span>
        {several ? (
          <>
            <span className="fd-visually-hidden">(switch workspace)</span>
            <Icon name="chevronDown" />
          </>
        ) : null}
      </button>
      {open ? (
        <ul
          id={menuId}
          ref={menuRef}
          className="fd-menu"
          role="menu"
          aria-label="Workspaces"
          onKeyDown={onMenuKey}
        >
          {tenants.map((tenant) => (
            <li key={tenant.id} role="none">
              <button
                type="button"
                role="menuitemradio"
                aria-checked={tenant.id === tenantId}
                className="fd-menu__item"
                onClick={() => void switchTo(tenant)}
              >
                <span className="fd-tenant-button__avatar" aria-hidden="true">
                  {tenant.name.slice(0, 1).toUpperCase()}
                </span>
                <span style={{ flex: 1 }}>
                  {tenant.name}
                  <span className="fd-muted"> · {ROLE_LABELS[tenant.role]}</span>
                </span>
                {tenant.id === tenantId ? <Icon name="check" /> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
