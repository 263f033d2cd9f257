import type { NodeDefinition } from "./define-node";
import { NodeRegistryError } from "./node-registry-error";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Runs the migration chain of `definition` from `fromVersion` (a node's `type_version`; absent in YAML means 1)
 * up to the current version. Values the chain cannot work on — a config that is not a mapping, a version that
 * is not a whole number from 1 up — come back unchanged, because the schema then reports them with a
 * line and column, which is more use to the author than an exception.
 */
export function migrateConfig(definition: NodeDefinition, config: unknown, fromVersion = 1): unknown {
  const { type, version } = definition;
  if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion === version) return config;
  if (fromVersion > version) {
    throw new NodeRegistryError(
      "FD154",
      `the config was written for version ${fromVersion} of ${type}, but the installed version is ${version}`,
      { nodeType: type },
    );
  }
  if (!isRecord(config)) return config;
  // A private copy: migrations may mutate, and the caller's value mirrors the YAML document.
  let current: Record<string, unknown> = structuredClone(config);
  for (let from = fromVersion; from < version; from++) {
    const step = definition.migrations?.[from];
    if (step === undefined) {
      throw new NodeRegistryError("FD152", `node type "${type}" has no migration from version ${from}`, {
        nodeType: type,
      });
    }
    let next: unknown;
    try {
      next = step(current);
    } catch (error) {
      throw new NodeRegistryError(
        "FD155",
        `migrating ${type} config from version ${from} to ${from + 1} threw`,
        {
          nodeType: type,
          cause: error,
        },
      );
    }
    if (!isRecord(next)) {
      throw new NodeRegistryError(
        "FD155",
        `migrating ${type} config from version ${from} to ${from + 1} did not return an object`,
        { nodeType: type },
      );
    }
    current = next;
  }
  return current;
}
