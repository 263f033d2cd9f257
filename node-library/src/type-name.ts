/**
 * Node type names. Built-ins are one lowercase word (`agent`) or `tool.<name>`; everything else is
 * `<vendor>.<name>`, so two packages never collide with Flowdeck's own future types. Lowercase snake_case
 * segments keep names valid as YAML plain scalars, CSS class suffixes and URL path segments.
 */
export const NODE_TYPE_MAX_LENGTH = 64;
export const BUILTIN_TYPE_PATTERN = /^(?:tool\.)?[a-z][a-z0-9_]*$/;
export const THIRD_PARTY_TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
/** Vendors reserved for Flowdeck's own nodes. */
export const RESERVED_VENDORS: readonly string[] = ["tool", "flowdeck", "core"];

/** Why `type` is not an acceptable name, or undefined when it is. */
export function typeNameProblem(type: unknown, builtin: boolean): string | undefined {
  if (typeof type !== "string" || type.length === 0) return "a node definition needs a type name";
  if (type.length > NODE_TYPE_MAX_LENGTH)
    return `type "${type}" is longer than ${NODE_TYPE_MAX_LENGTH} characters`;
  if (builtin) {
    return BUILTIN_TYPE_PATTERN.test(type)
      ? undefined
      : `built-in type "${type}" must be a lowercase word or tool.<name>`;
  }
  if (!THIRD_PARTY_TYPE_PATTERN.test(type)) {
    return `type "${type}" must be <vendor>.<name> in lowercase letters, digits and underscores`;
  }
  const vendor = type.slice(0, type.indexOf("."));
  if (RESERVED_VENDORS.includes(vendor))
    return `the "${vendor}." namespace is reserved for Flowdeck's built-in nodes`;
  return undefined;
}
