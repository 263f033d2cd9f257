/**
 * Codes for mistakes in node definitions and their registration (DESIGN §7: stable code, message, one-line
 * hint). They share the language's FD1xx range because a broken definition surfaces as a broken workflow
 * schema; FD150–FD159 are reserved for the node library.
 */
export const NODE_REGISTRY_CODES = {
  FD150: {
    title: "Duplicate node type",
    hint: "Give the node a different type name, or register the package only once.",
  },
  FD151: {
    title: "Invalid node type name",
    hint: "Name third-party nodes <vendor>.<name> in lowercase, e.g. acme.weather.",
  },
  FD152: {
    title: "Broken migration chain",
    hint: "Provide exactly one migration for each version from 1 to version - 1.",
  },
  FD153: {
    title: "Invalid node definition",
    hint: "Fill in meta (title, description, docs, icon, category), ports, and at least one valid example.",
  },
  FD154: {
    title: "Config from a newer node version",
    hint: "Update Flowdeck or the node package, or lower type_version.",
  },
  FD155: {
    title: "Config migration failed",
    hint: "Fix the node package's migration so it accepts every config of the older version.",
  },
} as const;

export type NodeRegistryCode = keyof typeof NODE_REGISTRY_CODES;

export class NodeRegistryError extends Error {
  override readonly name = "NodeRegistryError";
  readonly code: NodeRegistryCode;
  readonly hint: string;
  /** The node type the problem is about, when it has one. */
  readonly nodeType: string | undefined;

  constructor(code: NodeRegistryCode, message: string, options: { nodeType?: string; cause?: unknown } = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = NODE_REGISTRY_CODES[code].hint;
    this.nodeType = options.nodeType;
  }
}
