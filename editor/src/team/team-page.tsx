// Inviting teammates (admins and owners): an invitation is a one-time link to share by any channel; the server
// sends no email yet. Pending invitations can be revoked. The members list (members-section.tsx) changes roles
// and removes people.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { describeError, type Invitation, type PendingInvitation, type Role } from "../api";
import { useApi, useSession } from "../app/api-context";
import { canInvite, ROLE_LABELS } from "../app/roles";
import { Icon } from "../ui/icon";
import { TextField } from "../ui/text-field";
import { useToast } from "../ui/toasts";
import { useFailures } from "../ui/use-failures";
import { usePageTitle } from "../ui/use-page-title";
import { relativeTime } from "../workflows/relative-time";
import { MembersSection } from "./members-section";

type InvitableRole = Exclude<Role, "owner">;

const ROLE_HELP: Record<InvitableRole, string> = {
  viewer: "Sees every workflow, changes nothing",
  editor: "Builds, edits and publishes workflows",
  admin: "Everything editors do, plus inviting people",
};

export function invitationLink(token: string): string {
  return `${window.location.origin}/accept-invitation?token=${encodeURIComponent(token)}`;
}

export function TeamPage() {
  const api = useApi();
  const session = useSession();
  const notify = useToast();
  const role = session?.tenant.role;
  const [pending, setPending] = useState<PendingInvitation[]>();
  const [email, setEmail] = useState("");
  const [inviteRole, setInviteRole] = useState<InvitableRole>("editor");
  const [created, setCreated] = useState<Invitation>();
  const { banner, fail, succeed } = useFailures();
  usePageTitle("Team");

  const load = useCallback(
    () =>
      api.listInvitations().then(
        (loaded) => {
          setPending(loaded);
          succeed("load");
        },
        (caught: unknown) => fail("load", describeError(caught)),
      ),
    [api, fail, succeed],
  );
  useEffect(() => {
    if (canInvite(role)) void load();
  }, [load, role]);

  if (!canInvite(role)) {
    return (
      <div className="fd-page">
        <h1 className="fd-page-header__title">Team</h1>
        <p className="fd-alert fd-alert--info" role="note" style={{ marginTop: 16 }}>
          Only admins and owners invite people to this workspace.
        </p>
        <MembersSection />
      </div>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    succeed("invite");
    try {
      const invitation = await api.invite(email.trim(), inviteRole);
      setCreated(invitation);
      setEmail("");
    } catch (caught) {
      fail("invite", describeError(caught));
      return;
    }
    await load();
  }

  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      notify("Invitation link copied.");
    } catch {
      notify("Copy the link from the box: the browser refused clipboard access.", "error");
    }
  }

  return (
    <div className="fd-page">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Team</h1>
          <p className="fd-page-header__subtitle">Invite people to build and review workflows with you.</p>
        </div>
      </header>
      <section className="fd-card fd-team-invite" aria-labelledby="invite-title">
        <h2 id="invite-title" className="fd-section-title">
          Invite someone
        </h2>
        <form className="fd-team-invite__form" onSubmit={submit}>
          <TextField
            label="Email"
            type="email"
            name="inviteEmail"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="teammate@example.com"
          />
          <div className="fd-field">
            <label className="fd-field__label" htmlFor="invite-role">
              Role
            </label>
            <select
              id="invite-role"
              className="fd-select"
              value={inviteRole}
              onChange={(e) => setInviteRole(e.target.value as InvitableRole)}
            >
              {(Object.keys(ROLE_HELP) as InvitableRole[])
                .filter((r) => r !== "admin" || role === "owner")
                .map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]} — {ROLE_HELP[r]}
                  </option>
                ))}
            </select>
          </div>
          <button type="submit" className="fd-button fd-button--primary">
            <Icon name="plus" />
            Create invitation
          </button>
        </form>
        {banner ? (
          <div className="fd-alert fd-alert--error" role="alert">
            {banner}
          </div>
        ) : null}
        {created ? (
          <div className="fd-alert fd-alert--info fd-team-link" role="status">
            <div style={{ flex: 1, minWidth: 0 }}>
              <strong>Share this link with {created.email}.</strong> It is shown only once and works one time.
              <input
                className="fd-input fd-team-link__input"
                readOnly
                value={invitationLink(created.token)}
                aria-label="Invitation link"
                onFocus={(e) => e.target.select()}
              />
            </div>
            <button
              type="button"
              className="fd-button"
              onClick={() => void copy(invitationLink(created.token))}
            >
              Copy link
            </button>
          </div>
        ) : null}
      </section>
      <MembersSection />
      <section aria-labelledby="pending-title" style={{ marginTop: 24 }}>
        <h2 id="pending-title" className="fd-section-title">
          Pending invitations
        </h2>
        {pending && pending.length === 0 ? <p className="fd-muted">No pending invitations.</p> : null}
        {pending && pending.length > 0 ? (
          <div className="fd-card fd-table-card">
            <table className="fd-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col" className="fd-table__actions">
                    <span className="fd-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.email}</td>
                    <td>
                      <span className="fd-badge fd-badge--primary">{ROLE_LABELS[invitation.role]}</span>
                    </td>
                    <td className="fd-muted">{relativeTime(invitation.expiresAt)}</td>
                    <td className="fd-table__actions">
                      <button
                        type="button"
                        className="fd-button fd-button--small"
                        onClick={() =>
                          void api.revokeInvitation(invitation.id).then(load, (caught: unknown) => {
                            notify(describeError(caught), "error");
                          })
                        }
                      >
                        Revoke<span className="fd-visually-hidden"> invitation for {invitation.email}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
