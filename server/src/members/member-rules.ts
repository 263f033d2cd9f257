import { ApiError } from "../kit/api-error";
import { roleAtLeast, type Role } from "../kit/roles";

/**
 * Who may change or remove whom (issue 19 item 4). Decision: a member manages only the people below them and
 * grants only what they could invite — owners manage everyone and may make co-owners; admins manage editors and
 * viewers and grant editor or viewer (as they invite only those; an admin who could demote another admin could
 * also take the workspace from them). Anyone may leave (remove themselves). Never zero owners: the last owner
 * can be neither demoted nor removed, also by themselves (FD356) — an owner leaves after making another.
 */
export function checkMemberChange(input: {
  readonly caller: { readonly userId: string; readonly role: Role };
  readonly target: { readonly userId: string; readonly role: Role };
  /** The new role, or `remove`. */
  readonly change: Role | "remove";
  readonly owners: number;
}): void {
  const { caller, target, change, owners } = input;
  const leaving = change === "remove" && caller.userId === target.userId;
  if (!leaving) {
    if (!roleAtLeast(caller.role, "admin")) {
      throw new ApiError("FD313", `Changing members needs the admin role or higher; you are ${caller.role}.`);
    }
    if (caller.role !== "owner") {
      if (roleAtLeast(target.role, "admin")) {
        throw new ApiError(
          "FD357",
          `Admins change and remove editors and viewers only; this member is ${article(target.role)}.`,
        );
      }
      if (change !== "remove" && roleAtLeast(change, "admin")) {
        throw new ApiError("FD357", `Only an owner can make someone ${article(change)}.`);
      }
    }
  }
  const losesOwner = target.role === "owner" && change !== "owner";
  if (losesOwner && owners <= 1) {
    throw new ApiError(
      "FD356",
      change === "remove"
        ? "This is the workspace's last owner and cannot be removed."
        : "This is the workspace's last owner and cannot be demoted.",
    );
  }
}

const article = (role: Role) => (role === "admin" || role === "owner" ? `an ${role}` : `a ${role}`);
