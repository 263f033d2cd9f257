// The workspace's members: everyone sees who is in it; owners change anyone's role and remove anyone, admins
// editors and viewers (server/src/members/member-rules.ts decides; this page only hides what it would refuse).
// Removing asks first. The last owner cannot be demoted or removed: the server answers FD356 and the page says so.
import { useCallback, useEffect, useState } from "react";
import { describeError, type Member, type Role } from "../api";
import { useApi, useSession } from "../app/api-context";
import { ROLE_LABELS } from "../app/roles";
import { Dialog } from "../ui/dialog";
import { useFailures } from "../ui/use-failures";
import { useToast } from "../ui/toasts";
import { relativeTime } from "../workflows/relative-time";

const ORDER: readonly Role[] = ["owner", "admin", "editor", "viewer"];

/** The roles `caller` may give `member`, or none when the caller may not change them at all. */
export function assignableRoles(caller: Role | undefined, member: Member, self: boolean): readonly Role[] {
  if (self && caller !== "owner") return [];
  if (caller === "owner") return ORDER;
  if (caller === "admin" && (member.role === "editor" || member.role === "viewer"))
    return ["editor", "viewer"];
  return [];
}

export function MembersSection() {
  const api = useApi();
  const session = useSession();
  const notify = useToast();
  const caller = session?.tenant.role;
  const [members, setMembers] = useState<Member[]>();
  const { banner, fail, succeed } = useFailures();
  const [removing, setRemoving] = useState<Member>();

  const load = useCallback(
    () =>
      api.listMembers().then(
        (loaded) => {
          setMembers(loaded);
          succeed("load");
        },
        (caught: unknown) => fail("load", describeError(caught)),
      ),
    [api, fail, succeed],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function changeRole(member: Member, role: Role) {
    succeed("change");
    try {
      await api.changeMemberRole(member.userId, role);
      notify(`${member.email} is now ${ROLE_LABELS[role].toLowerCase()}.`);
    } catch (caught) {
      fail("change", describeError(caught));
    }
    await load();
  }

  async function confirmRemove() {
    const member = removing;
    setRemoving(undefined);
    if (!member) return;
    succeed("change");
    try {
      await api.removeMember(member.userId);
      notify(`${member.email} was removed from the workspace.`);
    } catch (caught) {
      fail("change", describeError(caught));
    }
    await load();
  }

  return (
    <section aria-labelledby="members-title" style={{ marginTop: 24 }}>
      <h2 id="members-title" className="fd-section-title">
        Members
      </h2>
      {banner ? (
        <div className="fd-alert fd-alert--error" role="alert">
          {banner}
        </div>
      ) : null}
      {members ? (
        <div className="fd-card fd-table-card">
          <table className="fd-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col" className="fd-table__actions">
                  <span className="fd-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => {
                const self = member.userId === session?.userId;
                const roles = assignableRoles(caller, member, self);
                const canRemove = self || roles.length > 0;
                return (
                  <tr key={member.userId}>
                    <td>
                      {member.email}
                      {self ? <span className="fd-muted"> (you)</span> : null}
                    </td>
                    <td>
                      {roles.length > 0 ? (
                        <select
                          className="fd-select"
                          aria-label={`Role of ${member.email}`}
                          value={member.role}
                          onChange={(e) => void changeRole(member, e.target.value as Role)}
                        >
                          {(roles.includes(member.role) ? roles : [member.role, ...roles]).map((role) => (
                            <option key={role} value={role}>
                              {ROLE_LABELS[role]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className="fd-badge fd-badge--primary">{ROLE_LABELS[member.role]}</span>
                      )}
                    </td>
                    <td className="fd-muted">{relativeTime(member.joinedAt)}</td>
                    <td className="fd-table__actions">
                      {canRemove ? (
                        <button
                          type="button"
                          className="fd-button fd-button--small"
                          onClick={() => setRemoving(member)}
                        >
                          {self ? "Leave" : "Remove"}
                          <span className="fd-visually-hidden"> {member.email}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog
        open={removing !== undefined}
        title={removing?.userId === session?.userId ? "Leave this workspace?" : "Remove this member?"}
        description={
          removing
            ? removing.userId === session?.userId
              ? "You lose access at once; an admin can invite you again."
              : `${removing.email} loses access at once and is signed out of this workspace.`
            : undefined
        }
        onClose={() => setRemoving(undefined)}
        onSubmit={() => void confirmRemove()}
        actions={
          <>
            <button type="button" className="fd-button" onClick={() => setRemoving(undefined)}>
              Cancel
            </button>
            <button type="submit" className="fd-button fd-button--danger">
              {removing?.userId === session?.userId ? "Leave" : "Remove"}
            </button>
          </>
        }
      />
    </section>
  );
}
