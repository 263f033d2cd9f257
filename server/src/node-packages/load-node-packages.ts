import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NodeRegistryError, nodePackageHost, type NodeDefinition } from "@flowdeck/node-library";
import type { NodeExecutor, NodePackage } from "@flowdeck/node-library/runtime";
import { nodePackageError } from "./node-package-error";
import { nodePackageSpecs, nodePackagesDir } from "./node-package-specs";
import { builtinNodeTypes, type LoadedNodePackage, type NodeTypes } from "./node-types";

/**
 * The built-ins plus every configured node package (node-package-specs.ts), loaded once at start by `serve`,
 * `worker` and the CLI. A package that cannot be found, exports no nodes, defines a type that clashes with
 * another or lacks an executor refuses the start (FD395) with its name and the reason — never a run failing
 * later with FD114.
 */
export async function loadNodeTypes(env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<NodeTypes> {
  const dir = nodePackagesDir(env, cwd);
  const specs = await nodePackageSpecs(env, dir);
  const types = builtinNodeTypes();
  if (specs.length === 0) return types;
  const executors: Record<string, NodeExecutor> = { ...types.executors };
  const packages: LoadedNodePackage[] = [];
  for (const spec of specs) {
    const file = resolveSpec(spec, dir);
    const loaded = await importPackage(spec, file);
    try {
      types.registry.use({ nodes: loaded.nodes });
    } catch (error) {
      if (error instanceof NodeRegistryError) throw nodePackageError(spec, `${error.code} ${error.message}`);
      throw error;
    }
    const defined = loaded.nodes.map((node) => node.type);
    for (const type of defined) executors[type] = loaded.executors[type]!;
    packages.push({ spec, ...(await packageIdentity(file)), types: defined });
  }
  return { registry: types.registry, executors, packages };
}

function resolveSpec(spec: string, dir: string): string {
  const path = spec.startsWith(".") || isAbsolute(spec) ? resolve(dir, spec) : spec;
  try {
    return createRequire(join(dir, "package.json")).resolve(path);
  } catch {
    throw nodePackageError(
      spec,
      `it is not installed in ${dir} (set FLOWDECK_NODE_PACKAGES_DIR to where it is).`,
    );
  }
}

async function importPackage(
  spec: string,
  file: string,
): Promise<{ nodes: readonly NodeDefinition[]; executors: Readonly<Record<string, NodeExecutor>> }> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw nodePackageError(spec, `importing it failed: ${(error as Error).message}`);
  }
  let shape: Partial<NodePackage> | undefined;
  try {
    // The factory form receives the host's builders; the plain form exports `nodes` (and `executors`).
    shape =
      typeof module.default === "function"
        ? (module.default as (host: typeof nodePackageHost) => NodePackage)(nodePackageHost)
        : Array.isArray(module.nodes)
          ? (module as Partial<NodePackage>)
          : (module.default as Partial<NodePackage> | undefined);
  } catch (error) {
    throw nodePackageError(spec, `its factory threw: ${(error as Error).message}`);
  }
  if (!shape || !Array.isArray(shape.nodes) || shape.nodes.length === 0) {
    throw nodePackageError(
      spec,
      "it exports no node definitions (a default factory returning { nodes, executors }).",
    );
  }
  const executors = shape.executors ?? {};
  const defined = new Set(shape.nodes.map((node) => (node as { type?: unknown }).type));
  for (const node of shape.nodes) {
    if (typeof executors[node.type] !== "function") {
      throw nodePackageError(
        spec,
        `it defines "${node.type}" but no executor for it (executors["${node.type}"]).`,
      );
    }
  }
  const stray = Object.keys(executors).find((type) => !defined.has(type));
  if (stray) throw nodePackageError(spec, `it has an executor for "${stray}", a type it does not define.`);
  return { nodes: shape.nodes, executors };
}

/** The name and version of the package.json nearest the entry file. */
async function packageIdentity(file: string): Promise<{ name: string; version: string }> {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const text = await readFile(join(dir, "package.json"), "utf8").catch(() => undefined);
    if (text !== undefined) {
      const json = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (typeof json.name === "string") {
        return { name: json.name, version: typeof json.version === "string" ? json.version : "0.0.0" };
      }
    }
    if (dirname(dir) === dir) return { name: file, version: "0.0.0" };
  }
}
