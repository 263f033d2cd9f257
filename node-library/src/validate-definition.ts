import Value from "typebox/value";
import type { NodeDefinition } from "./define-node";
import { NodeRegistryError } from "./node-registry-error";

/**
 * Checks a definition the way the registry needs it. Definitions from npm packages arrive as plain
 * JavaScript, so the TypeScript types of `defineNode` prove nothing here: every field is checked at runtime.
 */

const PORT_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ICON_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const META_TEXT_FIELDS = ["title", "description", "docs", "icon", "category"] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isText = (value: unknown): value is string => typeof value === "string" && value.trim().length > 0;

function invalid(type: string, message: string): NodeRegistryError {
  return new NodeRegistryError("FD153", `node type "${type}": ${message}`, { nodeType: type });
}

function checkMeta(type: string, meta: unknown): void {
  if (!isRecord(meta)) throw invalid(type, "meta is missing");
  for (const field of META_TEXT_FIELDS) {
    if (!isText(meta[field])) throw invalid(type, `meta.${field} is missing or empty`);
  }
  if (!ICON_PATTERN.test(meta.icon as string)) {
    throw invalid(
      type,
      `meta.icon "${String(meta.icon)}" is not a lucide icon name such as "bot" or "git-branch"`,
    );
  }
  if (meta.tags !== undefined && !(Array.isArray(meta.tags) && meta.tags.every(isText))) {
    throw invalid(type, "meta.tags must be a list of words");
  }
}

function checkPortList(type: string, list: unknown, name: "inputs" | "outputs"): void {
  if (!Array.isArray(list) || !list.every((port) => typeof port === "string" && PORT_PATTERN.test(port))) {
    throw invalid(type, `ports.${name} must be a list of port names such as "out" or "error"`);
  }
  if (new Set(list).size !== list.length) throw invalid(type, `ports.${name} names a port twice`);
}

function checkConfigSchema(type: string, config: unknown): void {
  if (!isRecord(config) || config.type !== "object")
    throw invalid(type, 'config must be an object schema (type: "object")');
  // Without it a misspelt field in YAML passes silently, which is the mistake users make most.
  if (config.additionalProperties !== false)
    throw invalid(type, "config must set additionalProperties: false");
}

/** The chain must cover 1 → … → version exactly: a gap strands configs, an extra key hints at a wrong version. */
export function checkMigrationChain(type: string, version: number, migrations: unknown): void {
  if (migrations === undefined) migrations = {};
  if (!isRecord(migrations)) {
    throw new NodeRegistryError(
      "FD152",
      `node type "${type}": migrations must be an object keyed by version`,
      {
        nodeType: type,
      },
    );
  }
  for (let from = 1; from < version; from++) {
    if (typeof migrations[from] !== "function") {
      throw new NodeRegistryError(
        "FD152",
        `node type "${type}" is at version ${version} but has no migration from version ${from} to ${from + 1}`,
        { nodeType: type },
      );
    }
  }
  for (const key of Object.keys(migrations)) {
    const from = Number(key);
    if (!Number.isInteger(from) || from < 1 || from >= version) {
      throw new NodeRegistryError(
        "FD152",
        `node type "${type}" has a migration keyed "${key}", but only versions 1 to ${version - 1} can be migrated from`,
        { nodeType: type },
      );
    }
  }
}

function checkExamples(type: string, config: NodeDefinition["config"], examples: unknown): void {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw invalid(type, "examples must hold at least one config; the docs page and tests rely on it");
  }
  examples.forEach((example, index) => {
    if (Value.Check(config, example)) return;
    const [first] = Value.Errors(config, example);
    const where = first?.instancePath ? ` at ${first.instancePath}` : "";
    throw invalid(
      type,
      `example ${index + 1} does not match the config schema${where}: ${first?.message ?? "invalid"}`,
    );
  });
}

/** A branch spec may only name the node's own output ports and a list of objects in its config. */
function checkBranches(type: string, definition: NodeDefinition): void {
  const spec: unknown = definition.branches;
  if (spec === undefined) return;
  if (!isRecord(spec)) throw invalid(type, "branches must be an object");
  const outputs: readonly string[] = Array.isArray(definition.ports?.outputs) ? definition.ports.outputs : [];
  const labels = spec.portLabels;
  if (labels !== undefined) {
    if (!isRecord(labels)) throw invalid(type, "branches.portLabels must map port names to labels");
    for (const [port, label] of Object.entries(labels)) {
      if (!outputs.includes(port))
        throw invalid(type, `branches.portLabels names "${port}", which is not an output port`);
      if (typeof label !== "string" || label === "")
        throw invalid(type, `branches.portLabels.${port} must be a label`);
    }
  }
  const perItem = spec.perItem;
  if (perItem === undefined) return;
  if (!isRecord(perItem)) throw invalid(type, "branches.perItem must be an object");
  for (const key of ["list", "key", "port", "condition", "otherwise"]) {
    if (typeof perItem[key] !== "string" || perItem[key] === "")
      throw invalid(type, `branches.perItem.${key} must be text`);
  }
  if (!outputs.includes(perItem.port as string))
    throw invalid(type, `branches.perItem.port "${String(perItem.port)}" is not an output port`);
  if (!(perItem.condition as string).includes("{value}"))
    throw invalid(type, "branches.perItem.condition must contain {value}, where the entry's name goes");
  const properties =
    isRecord(definition.config) && isRecord(definition.config.properties) ? definition.config.properties : {};
  const list = properties[perItem.list as string];
  if (!isRecord(list) || list.type !== "array")
    throw invalid(type, `branches.perItem.list "${String(perItem.list)}" is not a list in the config`);
}

/** Everything except the name rule and duplicates, which depend on the registry the definition joins. */
export function validateDefinition(definition: NodeDefinition): void {
  const type = definition.type;
  const { version } = definition;
  if (!Number.isInteger(version) || version < 1)
    throw invalid(type, "version must be a whole number from 1 up");
  checkMeta(type, definition.meta);
  checkConfigSchema(type, definition.config);
  if (!isRecord(definition.ports)) throw invalid(type, "ports is missing");
  checkPortList(type, definition.ports.inputs, "inputs");
  checkPortList(type, definition.ports.outputs, "outputs");
  checkBranches(type, definition);
  if (typeof definition.waits !== "boolean") throw invalid(type, "waits must be true or false");
  if (definition.pure !== undefined && typeof definition.pure !== "boolean")
    throw invalid(type, "pure must be true or false when given");
  checkMigrationChain(type, version, definition.migrations);
  checkExamples(type, definition.config, definition.examples);
}
