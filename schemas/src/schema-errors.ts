import type { ErrorObject } from "ajv";
import type { Finding } from "./finding";
import { suggestName } from "./graph-checks";
import type { PathSegment } from "./problem";
import { IDENTIFIER_PATTERN, NON_BLANK_PATTERN, WORKFLOW_NAME_PATTERN } from "./workflow-schema";

const PATTERN_WORDS: Record<string, string> = {
  [IDENTIFIER_PATTERN]: "may use only letters, digits and _ and must not start with a digit",
  [WORKFLOW_NAME_PATTERN]: "must be snake_case: lowercase letters, digits and _, starting with a letter",
  "^\\d+\\.\\d+\\.\\d+$": "must look like 1.0.0",
};

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "a set of fields (key: value)",
  array: "a list",
  null: "empty (null)",
};

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "object") return "a set of fields";
  if (typeof value === "number")
    return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return String(value);
}

/** JSON pointer → path segments, using the data to tell list indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      const index = Number(key);
      path.push(index);
      current = current[index];
    } else {
      path.push(key);
      current =
        typeof current === "object" && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return path;
}

/** "Node "find_order"", "Edge start → reply" or "The workflow": who a problem is about, in words. */
export function subjectOf(path: readonly PathSegment[], data: unknown): string {
  const root = data as { nodes?: Array<{ name?: unknown }>; edges?: Array<{ from?: unknown; to?: unknown }> };
  if (path[0] === "nodes" && typeof path[1] === "number") {
    const name = root.nodes?.[path[1]]?.name;
    return typeof name === "string" ? `Node "${name}"` : `Node ${path[1] + 1}`;
  }
  if (path[0] === "edges" && typeof path[1] === "number") {
    const edge = root.edges?.[path[1]];
    return typeof edge?.from === "string" && typeof edge.to === "string"
      ? `The edge ${edge.from} → ${edge.to}`
      : `Edge ${path[1] + 1}`;
  }
  if (path[0] === "layout") return "The layout";
  return "The workflow";
}

function fieldName(path: readonly PathSegment[]): string {
  let relevant = path[0] === "nodes" || path[0] === "edges" ? path.slice(2) : path;
  // Staff know a node's settings by their names; "config." is YAML plumbing.
  if (path[0] === "nodes" && relevant[0] === "config" && relevant.length > 1) relevant = relevant.slice(1);
  return relevant
    .map((s) => (typeof s === "number" ? `[${s + 1}]` : s))
    .join(".")
    .replace(/\.\[/g, "[");
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Turns Ajv's errors into findings a non-developer can act on: one per place, the branch noise of
 * `anyOf`/`oneOf` folded into a single sentence, unknown fields and node types with a close suggestion.
 */
export function schemaFindings(
  errors: readonly ErrorObject[],
  data: unknown,
  nodeTypes: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const folded = foldAlternatives(errors);
  for (const error of folded) {
    const finding = toFinding(error, data, nodeTypes);
    if (!finding) continue;
    const key = `${finding.code}|${finding.path.join("/")}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

/** Keeps an `anyOf` error instead of the errors of its branches, and drops `oneOf` errors that a branch explains. */
function foldAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => e.schemaPath);
  return errors.filter((error) => {
    if (error.keyword === "oneOf")
      return !errors.some(
        (e) => e !== error && e.instancePath.startsWith(error.instancePath) && e.keyword !== "oneOf",
      );
    return !anyOfPaths.some((p) => error.keyword !== "anyOf" && error.schemaPath.startsWith(`${p}/`));
  });
}

function toFinding(error: ErrorObject, data: unknown, nodeTypes: readonly string[]): Finding | undefined {
  const path = pointerToPath(error.instancePath, data);
  const subject = subjectOf(path, data);
  const field = fieldName(path);
  const the = field === "" ? subject : `${subject}: "${field}"`;
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const isConfig = path[0] === "nodes" && path.length === 3 && path[2] === "config";
      const where = field === "" || isConfig ? subject : `${subject}: "${field}"`;
      const noun = isConfig ? "setting" : "field";
      return {
        code: "FD112",
        message: `${where} has no ${noun} called "${extra}".${suggestName(extra, known)}`,
        path: [...path, extra],
        at: "key",
      };
    }
    case "required": {
      const missing = String(params.missingProperty);
      return {
        code: "FD111",
        message: `${the} is missing "${missing}", which is required.`,
        path,
        at: path.length > 0 ? "key" : "value",
      };
    }
    case "type": {
      const expected = String(params.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      return { code: "FD110", message: `${the} should be ${expected}, but it is ${describe(value)}.`, path };
    }
    case "discriminator": {
      if (params.error === "mapping") {
        const tag = String(params.tagValue);
        return {
          code: "FD114",
          message: `${subject} has type "${tag}", which is not a node type Flowdeck knows.${suggestName(tag, nodeTypes)}`,
          path: [...path, "type"],
        };
      }
      return {
        code: "FD110",
        message: `${subject}: "type" should be text naming a node type.`,
        path: [...path, "type"],
      };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return {
        code: "FD113",
        message: `${the} must be one of ${allowed}, but it is ${describe(value)}.`,
        path,
      };
    }
    case "const":
      return { code: "FD113", message: `${the} must be ${JSON.stringify(params.allowedValue)}.`, path };
    case "pattern": {
      if (params.pattern === NON_BLANK_PATTERN)
        return {
          code: "FD111",
          message: `${the} is empty, but it is required.`,
          path,
          draftsOnly: true,
        };
      const words = PATTERN_WORDS[String(params.pattern)] ?? `must match ${String(params.pattern)}`;
      return { code: "FD113", message: `${the} ${words} (it is ${describe(value)}).`, path };
    }
    case "propertyNames": {
      const name = String(params.propertyName);
      return {
        code: "FD113",
        message: `${subject}: the name "${name}" may use only letters, digits and _.`,
        path: [...path, name],
        at: "key",
      };
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words = {
        minimum: "at least",
        maximum: "at most",
        exclusiveMinimum: "more than",
        exclusiveMaximum: "less than",
      }[error.keyword];
      return {
        code: "FD113",
        message: `${the} must be ${words} ${String(params.limit)} (it is ${describe(value)}).`,
        path,
      };
    }
    case "minItems":
      return { code: "FD113", message: `${the} needs at least ${String(params.limit)} item(s).`, path };
    case "maxItems":
      return { code: "FD113", message: `${the} may have at most ${String(params.limit)} items.`, path };
    case "minLength":
      return { code: "FD113", message: `${the} may not be empty.`, path };
    case "maxLength":
      return {
        code: "FD113",
        message: `${the} may be at most ${String(params.limit)} characters long.`,
        path,
      };
    case "anyOf": {
      const branches = (error.schema as Array<Record<string, unknown>>) ?? [];
      const requiredSets = branches.map((b) => b.required).filter((r): r is string[] => Array.isArray(r));
      if (requiredSets.length === branches.length && branches.length > 0) {
        const names = requiredSets.map((r) => `"${r.join('" and "')}"`).join(" or ");
        return {
          code: "FD111",
          message: `${the === subject ? `${subject} needs` : `${the} needs`} ${names}.`,
          path,
        };
      }
      const types = branches.map((b) =>
        typeof b.type === "string" ? (TYPE_WORDS[b.type] ?? b.type) : undefined,
      );
      if (types.every(Boolean))
        return {
          code: "FD110",
          message: `${the} should be ${types.join(" or ")}, but it is ${describe(value)}.`,
          path,
        };
      return { code: "FD113", message: `${the} does not match any of the accepted forms.`, path };
    }
    case "oneOf":
      return { code: "FD113", message: `${the} does not match exactly one of the accepted forms.`, path };
    case "if":
      return undefined;
    default:
      return { code: "FD113", message: `${the} ${error.message ?? "is not valid"}.`, path };
  }
}
