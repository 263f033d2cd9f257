// What each role may do in the editor. The server enforces the same rules (server/src/auth/require-role.ts);
// the UI hides what would be refused so viewers never meet a 403.
import type { Role } from "../api";

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function canEdit(role: Role | undefined): boolean {
  return role !== undefined && RANK[role] >= RANK.editor;
}

export function canInvite(role: Role | undefined): boolean {
  return role !== undefined && RANK[role] >= RANK.admin;
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  editor: "Editor",
  viewer: "Viewer",
};
