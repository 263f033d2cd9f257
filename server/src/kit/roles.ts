/** Tenant roles, weakest first: a route's required role admits that role and every stronger one. */
export const ROLES = ["viewer", "editor", "admin", "owner"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
