import { createBuiltinRegistry, type NodeDefinition, type NodeRegistry } from "@flowdeck/node-library";
import { validate as builtinSchemaCheck } from "@flowdeck/node-library/workflow-validate";
import {
  createWorkflowValidator,
  EXPRESSION_MEDIA_TYPE,
  TEMPLATE_MEDIA_TYPE,
  type JsonSchema,
  type CompiledSchemaCheck,
  type NodeCatalog,
  type WorkflowValidator,
} from "@flowdeck/schemas";

/** What the builder knows about node types: the registry (palette, icons), its catalog and the validator. */
export interface BuilderRegistry {
  readonly registry: NodeRegistry;
  readonly catalog: NodeCatalog;
  /**
   * Checks every keystroke locally, also under the server's CSP (`script-src 'self'`, no 'unsafe-eval'): the
   * schema check is Ajv standalone code generated at build time (`pnpm generate:schema`), not compiled here
   * with `new Function`. A registry with third-party node types would need its own generated check; until the
   * builder loads such packages, `DocumentStoreOptions.validator` stays optional for that case.
   */
  readonly validator: WorkflowValidator;
  iconOf(type: string): string | undefined;
}

let current: BuilderRegistry | undefined;

/**
 * The page's registry and validator: the built-ins, made once per page, and — once installPackageNodeTypes has
 * run (package-node-types.ts, before a builder mounts) — the deployment's node packages too.
 */
export function builtinBuilderRegistry(): BuilderRegistry {
  if (current) return current;
  const registry = createBuiltinRegistry();
  // Generated from this same built-in catalog; node-library's precompiled-validator test fails when stale.
  current = builderRegistryOf(registry, builtinSchemaCheck);
  return current;
}

function builderRegistryOf(registry: NodeRegistry, compiledSchema: CompiledSchemaCheck): BuilderRegistry {
  const catalog = registry.catalog();
  return {
    registry,
    catalog,
    validator: createWorkflowValidator(catalog, { compiledSchema }),
    iconOf: (type) => registry.get(type)?.meta.icon,
  };
}

/**
 * Adds node types from the server's packages (`GET /node-types`) with the schema check the server generated for
 * the combined catalog (`GET /node-types/workflow-validate.js`). Throws NodeRegistryError when a definition is
 * refused; the built-ins stay as they were.
 */
export function installPackageNodeTypes(
  definitions: readonly NodeDefinition[],
  compiledSchema: CompiledSchemaCheck,
): void {
  const registry = createBuiltinRegistry().use({ nodes: definitions });
  current = builderRegistryOf(registry, compiledSchema);
}

const asSchema = (value: unknown): JsonSchema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;

/**
 * The config a node dropped from the palette starts with: only its required fields, filled from the schema's
 * default or the first example. Example text that names other nodes (`nodes.find_order…`) would be an error in
 * a new flow, so such templates start as `{{ input.message }}` and expressions as `true`.
 */
export function starterConfig(definition: NodeDefinition): Record<string, unknown> | undefined {
  const schema = definition.config as unknown as JsonSchema;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const example = (definition.examples[0] ?? {}) as Record<string, unknown>;
  const properties = asSchema(schema.properties) ?? {};
  const config: Record<string, unknown> = {};
  for (const key of required) {
    const field = asSchema(properties[key]) ?? {};
    const sample = example[key];
    if (field.default !== undefined) config[key] = field.default;
    else if (typeof sample === "string" && sample.includes("nodes.")) {
      config[key] = field.contentMediaType === EXPRESSION_MEDIA_TYPE ? "true" : "{{ input.message }}";
    } else if (sample !== undefined) config[key] = sample;
    else if (field.contentMediaType === TEMPLATE_MEDIA_TYPE) config[key] = "{{ input.message }}";
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
